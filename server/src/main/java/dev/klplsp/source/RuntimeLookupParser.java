// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the run-time lookup style of a livepatch (what {@link RuntimeLookups} describes): lookup tables by their
 * struct name ({@code klp_kallsyms_reloc}) or by the shape of their elements, the pointers they fill and every use
 * of those pointers, direct {@code kallsyms_lookup_name("name")} calls, the calls that walk a table, and the
 * module notifiers that make them. The parser hands it struct variables and function definitions as it meets
 * them; {@link #finish} reads the function bodies once all tables are known.
 */
final class RuntimeLookupParser extends TokenReader {
    static final String LOOKUP_NAME = "kallsyms_lookup_name";
    private static final Set<String> SYMBOL_FIELDS = Set.of("symname", "sym_name", "name", "symbol");
    private static final Set<String> ADDRESS_FIELDS = Set.of("addr", "address", "ptr");
    private static final Set<String> OBJECT_FIELDS = Set.of("objname", "obj_name", "object", "modname");
    private static final Set<String> SYMPOS_FIELDS = Set.of("sympos", "pos");
    private static final Set<String> REGISTRATIONS = Set.of("register_module_notifier", "unregister_module_notifier");
    private static final Set<String> CONTROL = Set.of("if", "while", "for", "switch");
    /** Qualifiers between a pointer's '*' and its name: {@code int *const p}, {@code struct x __rcu *p}. */
    private static final Set<String> POINTER_QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict",
            "__restrict__", "_Atomic", "__rcu", "__percpu", "__user", "__iomem", "__force", "__kernel");
    private static final Set<String> STORAGE_WORDS = Set.of("static", "extern", "register", "auto", "_Thread_local",
            "__thread");
    /**
     * What a notifier that only resolves may contain besides its resolver calls: the guard on the module state
     * and name, module_mutex, a warning or message, and returns.
     */
    private static final Set<String> RESOLVING_WORDS = Set.of("if", "else", "return", "goto", "int", "long",
            "unsigned", "char", "const", "struct", "module", "notifier_block", "void", "sizeof", "ARRAY_SIZE",
            "mutex_lock", "mutex_unlock", "module_mutex", "strcmp", "strncmp", "WARN", "WARN_ON", "WARN_ONCE",
            "WARN_ON_ONCE", "pr_err", "pr_warn", "pr_info", "pr_debug", "pr_notice", "printk", "KERN_ERR",
            "KERN_WARNING", "KERN_INFO", "KERN_NOTICE", "KERN_DEBUG", "__func__", "MODULE_STATE_COMING",
            "MODULE_STATE_LIVE", "MODULE_STATE_GOING", "MODULE_STATE_UNFORMED", "NOTIFY_OK", "NOTIFY_DONE",
            "NOTIFY_BAD", "notifier_from_errno", "likely", "unlikely", "NULL", "KBUILD_MODNAME", "THIS_MODULE");
    private static final Pattern STRING_MACRO =
            Pattern.compile("(?s)#\\s*define\\s+(\\w+)\\s+\"((?:[^\"\\\\\\n]|\\\\.)*)\"\\s*");

    private final List<KallsymsRelocTable> tables = new ArrayList<>();
    private final List<NotifierBlock> blocks = new ArrayList<>();
    private final List<FunctionBody> functions = new ArrayList<>();
    private Map<String, String> stringMacros = Map.of();

    private record NotifierBlock(String name, String function, Span declarationSpan) {
    }

    private record FunctionBody(String name, int nameToken, int bodyOpen, Span declarationSpan) {
    }

    RuntimeLookupParser(TokenReader shared) {
        super(shared);
    }

    /** Object-like macros whose body is one string literal ({@code #define LP_MODULE "nvram"}), by name. */
    void macros(List<MacroDefinition> macros) {
        Map<String, String> values = new HashMap<>();
        for (MacroDefinition macro : macros) {
            Matcher matcher = STRING_MACRO.matcher(macro.directiveSpan().textOf(text));
            if (matcher.matches()) {
                values.put(matcher.group(1), matcher.group(2));
            }
        }
        stringMacros = values;
    }

    // ---- what the parser hands over -----------------------------------------------------------------------

    /** A file-scope variable of {@code struct tag} with an initializer. */
    void structVariable(String tag, String name, Declarator declarator, Span declarationSpan) {
        if (declarator.initStart < 0 || !isPunct(declarator.initStart, '{')) {
            return;
        }
        int brace = declarator.initStart;
        if (tag.equals("notifier_block")) {
            for (int[] field : split(brace + 1, closer(brace))) {
                int a = field[0];
                if (field[1] - a == 4 && isPunct(a, '.') && tokenText(a + 1).equals("notifier_call") && isPunct(a + 2, '=')
                        && kinds[a + 3] == Lexer.IDENT) {
                    blocks.add(new NotifierBlock(name, tokenText(a + 3), declarationSpan));
                }
            }
            return;
        }
        if (!declarator.isArray) {
            return;
        }
        boolean byName = tag.contains("kallsyms_reloc");
        List<int[]> elements = new ArrayList<>();
        for (int[] element : split(brace + 1, closer(brace))) {
            if (element[0] < element[1] && !(isPunct(element[0], '{') && closer(element[0]) == element[0] + 1)) {
                elements.add(element);
            }
        }
        if (elements.isEmpty()) {
            return;
        }
        List<KallsymsRelocEntry> entries = new ArrayList<>();
        List<ScanProblem> found = new ArrayList<>();
        for (int[] element : elements) {
            entry(element[0], element[1], found).ifPresent(entries::add);
        }
        // By shape alone, every element must read as an entry with a name and a pointer.
        boolean byShape = found.isEmpty() && entries.size() == elements.size()
                && entries.stream().allMatch(entry -> entry.symbol().isPresent() && entry.pointer().isPresent());
        if (!byName && !byShape) {
            return;
        }
        problems.addAll(found);
        Span nameSpan = declarator.nameToken >= 0 ? tokenSpan(declarator.nameToken) : Span.at(declarationSpan.start());
        tables.add(new KallsymsRelocTable(name, nameSpan, tag, declarationSpan, List.copyOf(entries), false));
    }

    /** A function definition whose body opens at token {@code bodyOpen}. */
    void functionDefinition(String name, Declarator declarator, int bodyOpen, Span declarationSpan) {
        functions.add(new FunctionBody(name, declarator.nameToken, bodyOpen, declarationSpan));
    }

    // ---- table entries -------------------------------------------------------------------------------------

    /** One element {@code { ... }} of a table; problems go to {@code found}. */
    private Optional<KallsymsRelocEntry> entry(int from, int to, List<ScanProblem> found) {
        Span elementSpan = new Span(starts[from], ends[to - 1]);
        if (!isPunct(from, '{') || groupEnd(from) != to) {
            found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX,
                    "expected { \"name\", &pointer[, \"object\"[, sympos]] } in a run-time lookup table", elementSpan));
            return Optional.empty();
        }
        int close = closer(from);
        List<int[]> fields = new ArrayList<>(split(from + 1, close));
        if (fields.size() > 1 && fields.get(fields.size() - 1)[0] >= fields.get(fields.size() - 1)[1]) {
            fields.remove(fields.size() - 1); // a trailing comma
        }
        boolean designated = !fields.isEmpty() && fields.get(0)[1] - fields.get(0)[0] >= 3 && isPunct(fields.get(0)[0], '.');
        int[][] values = new int[4][];
        Span[] valueSpans = new Span[4];
        if (designated) {
            for (int[] field : fields) {
                int a = field[0];
                if (!(field[1] - a >= 3 && isPunct(a, '.') && kinds[a + 1] == Lexer.IDENT && isPunct(a + 2, '='))) {
                    found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX,
                            "mixes designated and positional fields", elementSpan));
                    return Optional.empty();
                }
                String fieldName = tokenText(a + 1);
                int slot = SYMBOL_FIELDS.contains(fieldName) ? 0 : ADDRESS_FIELDS.contains(fieldName) ? 1
                        : OBJECT_FIELDS.contains(fieldName) ? 2 : SYMPOS_FIELDS.contains(fieldName) ? 3 : -1;
                if (slot < 0) {
                    found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX, "unknown field ." + fieldName
                            + " in a run-time lookup entry", tokenSpan(a + 1)));
                    continue;
                }
                values[slot] = new int[] {a + 3, field[1]};
                valueSpans[slot] = rangeSpan(a + 3, field[1], a + 2);
            }
        } else {
            if (fields.size() > 4) {
                found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX,
                        "a run-time lookup entry has at most 4 fields (name, address, object, sympos)", elementSpan));
                return Optional.empty();
            }
            for (int f = 0; f < fields.size(); f++) {
                values[f] = fields.get(f);
                valueSpans[f] = rangeSpan(fields.get(f)[0], fields.get(f)[1], from);
            }
        }
        if (values[0] == null || values[1] == null) {
            found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX,
                    "a run-time lookup entry needs a name and an address", elementSpan));
            return Optional.empty();
        }
        Optional<String> symbol = stringValue(values[0]);
        Span symbolSpan = literalContent(values[0]).orElse(valueSpans[0]);
        if (symbol.isEmpty()) {
            found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX, "the name '" + valueSpans[0].textOf(text)
                    + "' is not a string literal: it is set at run time, so it cannot be checked", valueSpans[0]));
        }
        OptionalInt pointerToken = addressOf(values[1][0], values[1][1]);
        if (pointerToken.isEmpty()) {
            found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX, "the address '"
                    + valueSpans[1].textOf(text) + "' is not &pointer", valueSpans[1]));
        }
        Optional<String> object = Optional.empty();
        Optional<Span> objectSpan = Optional.empty();
        if (values[2] != null && !isNull(values[2])) {
            object = stringValue(values[2]);
            objectSpan = Optional.of(literalContent(values[2]).orElse(valueSpans[2]));
            if (object.isEmpty()) {
                found.add(new ScanProblem(ProblemKind.KALLSYMS_RELOC_ENTRY_SYNTAX, "the object '"
                        + valueSpans[2].textOf(text) + "' is not a string literal", valueSpans[2]));
                return Optional.empty();
            }
        }
        OptionalInt sympos = OptionalInt.empty();
        Optional<Span> symposSpan = Optional.empty();
        if (values[3] != null) {
            symposSpan = Optional.of(valueSpans[3]);
            sympos = integerLiteral(values[3][0], values[3][1]);
            if (sympos.isEmpty()) {
                found.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER, "sympos '" + valueSpans[3].textOf(text)
                        + "' is not a non-negative integer", valueSpans[3]));
            }
        }
        int lastEnd = fields.isEmpty() ? from + 1 : fields.get(fields.size() - 1)[1];
        int insertion = lastEnd < close && isPunct(lastEnd, ',') ? ends[lastEnd]
                : lastEnd > from + 1 ? ends[lastEnd - 1] : ends[from];
        return Optional.of(new KallsymsRelocEntry(symbol, symbolSpan,
                pointerToken.isPresent() ? Optional.of(tokenText(pointerToken.getAsInt())) : Optional.empty(),
                pointerToken.isPresent() ? Optional.of(tokenSpan(pointerToken.getAsInt())) : Optional.empty(),
                object, objectSpan, sympos, symposSpan, designated ? 0 : fields.size(), Span.at(insertion),
                new Span(starts[from], ends[close < n ? close : n - 1])));
    }

    /** A string literal, or an object-like macro of the file standing for one. */
    private Optional<String> stringValue(int[] range) {
        Optional<String> literal = stringLiteral(range[0], range[1]);
        if (literal.isPresent()) {
            return literal;
        }
        if (range[1] - range[0] == 1 && kinds[range[0]] == Lexer.IDENT) {
            return Optional.ofNullable(stringMacros.get(tokenText(range[0])));
        }
        return Optional.empty();
    }

    private Optional<Span> literalContent(int[] range) {
        return range[1] - range[0] == 1 && kinds[range[0]] == Lexer.STRING && isPlainLiteral(range[0])
                ? Optional.of(new Span(starts[range[0]] + 1, ends[range[0]] - 1)) : Optional.empty();
    }

    private boolean isNull(int[] range) {
        return range[1] - range[0] == 1 && (tokenText(range[0]).equals("NULL") || tokenText(range[0]).equals("0"));
    }

    /** The pointer in {@code (void *)&p}, {@code (void **)&p}, {@code &p} or {@code &(p)}. */
    private OptionalInt addressOf(int from, int to) {
        int i = from;
        while (i < to && isPunct(i, '(') && groupEnd(i) < to && isCastGroup(i, closer(i))) {
            i = groupEnd(i);
        }
        if (i + 2 == to && isPunct(i, '&') && kinds[i + 1] == Lexer.IDENT) {
            return OptionalInt.of(i + 1);
        }
        if (i + 4 == to && isPunct(i, '&') && isPunct(i + 1, '(') && kinds[i + 2] == Lexer.IDENT && isPunct(i + 3, ')')) {
            return OptionalInt.of(i + 2);
        }
        return OptionalInt.empty();
    }

    /**
     * Whether the parentheses {@code open..close} hold a type name: {@code (void *)}, {@code (unsigned long)},
     * {@code (int (*)(void))}, {@code (typeof(p))}.
     */
    private boolean isCastGroup(int open, int close) {
        if (close <= open + 1 || close >= n) {
            return false;
        }
        for (int i = open + 1; i < close; i++) {
            if (isPunct(i, '(') || isPunct(i, '[')) {
                i = closer(i);
            } else if (kinds[i] != Lexer.IDENT && !isPunct(i, '*')) {
                return false;
            }
        }
        String first = tokenText(open + 1);
        return kinds[open + 1] == Lexer.IDENT && (isPunct(close - 1, '*') || isPunct(close - 1, ')')
                || TYPE_WORDS.contains(first)
                || TYPEOF_WORDS.contains(first) || first.endsWith("_t"));
    }

    private static final Set<String> TYPE_WORDS = Set.of("void", "char", "short", "int", "long", "unsigned", "signed",
            "struct", "union", "enum", "const", "volatile", "bool", "_Bool", "u8", "u16", "u32", "u64", "s8", "s16",
            "s32", "s64");
    private static final Set<String> TYPEOF_WORDS = Set.of("typeof", "__typeof__", "__typeof");

    // ---- the rest, once the whole file is read ----------------------------------------------------------------

    RuntimeLookups finish(List<Definition> definitions, Map<String, List<Span>> uses, List<MacroDefinition> macros) {
        if (tables.isEmpty() && !text.contains(LOOKUP_NAME)) {
            return RuntimeLookups.NONE; // the usual file: no function body needs reading again
        }
        Set<String> tableNames = new HashSet<>();
        tables.forEach(table -> tableNames.add(table.name()));
        Set<String> variables = new HashSet<>();
        definitions.stream().filter(definition -> definition.kind() == SymbolKind.VARIABLE)
                .forEach(definition -> variables.add(definition.name()));
        List<LookupNameCall> lookupNameCalls = new ArrayList<>();
        List<ResolverCall> resolverCalls = new ArrayList<>();
        Map<String, List<CallSite>> registrations = new HashMap<>();
        for (FunctionBody function : functions) {
            int open = function.bodyOpen();
            int close = closer(open);
            for (int i = open + 1; i < close; i++) {
                if (kinds[i] != Lexer.IDENT || !isPunct(i + 1, '(') || (i > 0 && (isPunct(i - 1, '.') || isArrow(i - 1)))) {
                    continue;
                }
                String callee = tokenText(i);
                List<int[]> args = split(i + 2, closer(i + 1));
                int[] first = args.get(0);
                if (callee.equals(LOOKUP_NAME)) {
                    lookupNameCalls.add(lookupNameCall(i, first, function.name(), variables));
                } else if (REGISTRATIONS.contains(callee) && args.size() == 1 && first[1] - first[0] == 2
                        && isPunct(first[0], '&') && kinds[first[0] + 1] == Lexer.IDENT) {
                    registrations.computeIfAbsent(tokenText(first[0] + 1), key -> new ArrayList<>())
                            .add(callSite(i, function.name()));
                } else if (first[1] - first[0] == 1 && kinds[first[0]] == Lexer.IDENT
                        && tableNames.contains(tokenText(first[0])) && !KEYWORDS.contains(callee)
                        && !callee.equals("ARRAY_SIZE")) {
                    resolverCalls.add(new ResolverCall(tokenText(first[0]), callSite(i, function.name())));
                }
            }
        }

        List<String> pointerNames = new ArrayList<>();
        for (KallsymsRelocTable table : tables) {
            table.entries().forEach(entry -> entry.pointer().filter(name -> !pointerNames.contains(name))
                    .ifPresent(pointerNames::add));
        }
        lookupNameCalls.forEach(call -> call.assignedPointer().filter(name -> !pointerNames.contains(name))
                .ifPresent(pointerNames::add));
        List<LookupPointer> pointers = new ArrayList<>();
        for (Definition definition : definitions) {
            if (definition.kind() == SymbolKind.VARIABLE && pointerNames.contains(definition.name())) {
                pointers.add(pointer(definition));
            }
        }

        List<Span> excluded = new ArrayList<>();
        tables.forEach(table -> excluded.add(table.declarationSpan()));
        for (LookupNameCall call : lookupNameCalls) {
            if (call.assignedPointer().isPresent()) {
                excluded.add(call.site().statementSpan());
                call.nullCheckSpan().ifPresent(excluded::add);
            }
        }
        List<PointerUse> pointerUses = new ArrayList<>();
        for (String name : pointerNames) {
            for (Span use : uses.getOrDefault(name, List.of())) {
                if (excluded.stream().noneMatch(span -> span.contains(use))) {
                    pointerUses.add(classify(name, tokensOf(use)[0]));
                }
            }
            Pattern word = Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
            for (MacroDefinition macro : macros) {
                if (word.matcher(macro.directiveSpan().textOf(text)).find()) {
                    pointerUses.add(new PointerUse(name, PointerUse.Shape.MACRO, macro.nameSpan()));
                }
            }
        }
        pointerUses.sort(Comparator.comparingInt(use -> use.span().start()));

        List<KallsymsRelocTable> read = new ArrayList<>();
        for (KallsymsRelocTable table : tables) {
            boolean elsewhere = uses.getOrDefault(table.name(), List.of()).stream().anyMatch(use -> resolverCalls
                    .stream().noneMatch(call -> call.table().equals(table.name()) && call.site().callSpan().contains(use)));
            read.add(new KallsymsRelocTable(table.name(), table.nameSpan(), table.structName(), table.declarationSpan(),
                    table.entries(), elsewhere));
        }

        List<ModuleNotifier> notifiers = new ArrayList<>();
        for (NotifierBlock block : blocks) {
            Optional<FunctionBody> function = functions.stream().filter(f -> f.name().equals(block.function())).findFirst();
            if (function.isEmpty()) {
                continue;
            }
            List<CallSite> calls = registrations.getOrDefault(block.name(), List.of());
            boolean elsewhere = uses.getOrDefault(block.name(), List.of()).stream()
                    .anyMatch(use -> calls.stream().noneMatch(call -> call.callSpan().contains(use)));
            notifiers.add(new ModuleNotifier(block.function(), function.get().declarationSpan(), block.name(),
                    block.declarationSpan(), List.copyOf(calls), onlyResolves(function.get(), resolverCalls),
                    elsewhere));
        }
        return new RuntimeLookups(read, pointers, pointerUses, lookupNameCalls, resolverCalls, notifiers);
    }

    // ---- calls ---------------------------------------------------------------------------------------------

    /** A call at token {@code callee} and the statement it stands in. */
    private CallSite callSite(int callee, String function) {
        int close = closer(callee + 1);
        Span callSpan = new Span(starts[callee], ends[Math.min(close, n - 1)]);
        int first = statementStart(callee);
        CallSite.Placement placement = first >= 0 && close + 1 < n && isPunct(close + 1, ';')
                ? placementAt(first) : CallSite.Placement.EXPRESSION;
        Span statement = placement == CallSite.Placement.EXPRESSION ? callSpan
                : new Span(starts[first], ends[close + 1]);
        return new CallSite(tokenText(callee), tokenSpan(callee), callSpan, placement, statement,
                Optional.of(function));
    }

    /** The first token of the statement when the call at {@code callee} is preceded only by casts; else -1. */
    private int statementStart(int callee) {
        int k = callee - 1;
        while (k >= 0 && isPunct(k, ')') && match[k] >= 0 && match[k] < k && isCastGroup(match[k], k)
                && !(match[k] > 0 && kinds[match[k] - 1] == Lexer.IDENT && CONTROL.contains(tokenText(match[k] - 1)))) {
            k = match[k] - 1;
        }
        return placementAt(k + 1) == CallSite.Placement.EXPRESSION ? -1 : k + 1;
    }

    /** Where a statement starting at token {@code first} stands, judged by the token before it. */
    private CallSite.Placement placementAt(int first) {
        int k = first - 1;
        if (k < 0 || isPunct(k, ';') || isPunct(k, '{') || isPunct(k, '}')) {
            return CallSite.Placement.STATEMENT;
        }
        if (isPunct(k, ':')) {
            boolean label = k >= 1 && kinds[k - 1] == Lexer.IDENT
                    && (k < 2 || isPunct(k - 2, ';') || isPunct(k - 2, '{') || isPunct(k - 2, '}'))
                    || k >= 1 && tokenText(k - 1).equals("default");
            boolean caseLabel = false;
            for (int j = k - 1; j >= 0 && !label && !isPunct(j, ';') && !isPunct(j, '{') && !isPunct(j, '}'); j--) {
                if (kinds[j] == Lexer.IDENT && tokenText(j).equals("case")) {
                    caseLabel = true;
                    break;
                }
            }
            return label || caseLabel ? CallSite.Placement.AFTER_LABEL : CallSite.Placement.EXPRESSION;
        }
        if (isPunct(k, ')') && match[k] > 0 && kinds[match[k] - 1] == Lexer.IDENT
                && CONTROL.contains(tokenText(match[k] - 1))) {
            return CallSite.Placement.CONTROL_BODY;
        }
        if (kinds[k] == Lexer.IDENT && (tokenText(k).equals("else") || tokenText(k).equals("do"))) {
            return CallSite.Placement.CONTROL_BODY;
        }
        return CallSite.Placement.EXPRESSION;
    }

    /**
     * {@code kallsyms_lookup_name("x")} at token {@code callee}; when the statement is
     * {@code p = (cast)kallsyms_lookup_name("x");}, the pointer p and an {@code if (!p) ...} right after it.
     */
    private LookupNameCall lookupNameCall(int callee, int[] argument, String function, Set<String> variables) {
        Optional<String> symbol = stringLiteral(argument[0], argument[1]);
        Span symbolSpan = literalContent(argument).orElse(rangeSpan(argument[0], argument[1], callee + 1));
        int close = closer(callee + 1);
        int k = callee - 1;
        while (k >= 0 && isPunct(k, ')') && match[k] >= 0 && match[k] < k && isCastGroup(match[k], k)) {
            k = match[k] - 1;
        }
        if (k >= 1 && isPunct(k, '=') && !isPunct(k - 1, '=') && !isPunct(k - 1, '!') && !isPunct(k - 1, '<')
                && !isPunct(k - 1, '>') && kinds[k - 1] == Lexer.IDENT && variables.contains(tokenText(k - 1))
                && close + 1 < n && isPunct(close + 1, ';')) {
            int pointer = k - 1;
            CallSite.Placement placement = placementAt(pointer);
            if (placement == CallSite.Placement.STATEMENT || placement == CallSite.Placement.AFTER_LABEL) {
                Span statement = new Span(starts[pointer], ends[close + 1]);
                CallSite site = new CallSite(LOOKUP_NAME, tokenSpan(callee), new Span(starts[callee], ends[close]),
                        placement, statement, Optional.of(function));
                String name = tokenText(pointer);
                return new LookupNameCall(symbol, symbolSpan, site, Optional.of(name), nullCheck(close + 2, name));
            }
        }
        return new LookupNameCall(symbol, symbolSpan, callSite(callee, function), Optional.empty(), Optional.empty());
    }

    /**
     * {@code if (!p) stmt;} or {@code if (p == NULL) { ... }} (also in {@code unlikely(...)}) at token {@code i},
     * without an else.
     */
    private Optional<Span> nullCheck(int i, String pointer) {
        if (!(i + 1 < n && kinds[i] == Lexer.IDENT && tokenText(i).equals("if") && isPunct(i + 1, '('))) {
            return Optional.empty();
        }
        int condClose = closer(i + 1);
        int a = i + 2;
        int b = condClose;
        if (b - a >= 3 && (tokenText(a).equals("unlikely") || tokenText(a).equals("likely")) && isPunct(a + 1, '(')
                && closer(a + 1) == b - 1) {
            a += 2;
            b -= 1;
        }
        boolean tests = b - a == 2 && isPunct(a, '!') && tokenText(a + 1).equals(pointer)
                || b - a == 4 && tokenText(a).equals(pointer) && isPunct(a + 1, '=') && isPunct(a + 2, '=')
                        && (tokenText(a + 3).equals("NULL") || tokenText(a + 3).equals("0"))
                || b - a == 4 && tokenText(a).equals("NULL") && isPunct(a + 1, '=') && isPunct(a + 2, '=')
                        && tokenText(a + 3).equals(pointer);
        if (!tests || condClose + 1 >= n) {
            return Optional.empty();
        }
        int body = condClose + 1;
        int end;
        if (isPunct(body, '{')) {
            end = closer(body);
        } else {
            end = body;
            while (end < n && !isPunct(end, ';')) {
                if (isOpener(end) && isPunct(end, '{')) {
                    return Optional.empty();
                }
                end = isOpener(end) ? groupEnd(end) : end + 1;
            }
        }
        if (end >= n || (end + 1 < n && kinds[end + 1] == Lexer.IDENT && tokenText(end + 1).equals("else"))) {
            return Optional.empty();
        }
        return Optional.of(new Span(starts[i], ends[end]));
    }

    // ---- pointers ------------------------------------------------------------------------------------------

    /** Reads the declaration of a pointer a lookup fills: its type, and the declarator of the symbol itself. */
    private LookupPointer pointer(Definition definition) {
        int[] range = tokensOf(definition.declarationSpan());
        int s = range[0];
        int e = range[1];
        if (e > s && isPunct(e - 1, ';')) {
            e--;
        }
        int nameToken = tokensOf(definition.nameSpan())[0];
        List<int[]> parts = split(s, e);
        int partIndex = 0;
        for (int p = 0; p < parts.size(); p++) {
            if (parts.get(p)[0] <= nameToken && nameToken < parts.get(p)[1]) {
                partIndex = p;
            }
        }
        // On odd text the first part may end before the name: nothing of the declarator may lie past it.
        int specifierEnd = Math.min(specifierEnd(s, parts.get(0)[1]), nameToken);
        int declaratorStart = Math.min(partIndex == 0 ? specifierEnd : parts.get(partIndex)[0], nameToken);
        Span specifiers = specifierEnd > s ? new Span(starts[s], ends[specifierEnd - 1]) : Span.at(starts[s]);
        boolean isStatic = containsWord(s, specifierEnd, "static", "static");
        // The declarator ends after the name's suffixes: ')' of a group, (params), [size].
        int end = nameToken + 1;
        while (end < n && (isPunct(end, '(') || isPunct(end, '[') || (isPunct(end, ')') && match[end] >= declaratorStart
                && match[end] < nameToken))) {
            end = isPunct(end, ')') ? end + 1 : groupEnd(end);
        }
        Span declarator = new Span(starts[declaratorStart], ends[end - 1]);
        Optional<String> problem = Optional.empty();
        int star = nameToken - 1;
        while (star >= declaratorStart && kinds[star] == Lexer.IDENT && POINTER_QUALIFIERS.contains(tokenText(star))) {
            star--;
        }
        String prefix = "";
        String suffix = "";
        SymbolKind kind = SymbolKind.VARIABLE;
        if (star < declaratorStart || !isPunct(star, '*')) {
            problem = Optional.of("its declaration has no '*' (a typedef of a pointer type?), so the symbol's own"
                    + " type is not written anywhere");
        } else {
            boolean group = star - 1 >= declaratorStart && isPunct(star - 1, '(') && match[star - 1] == nameToken + 1;
            int after = group ? nameToken + 2 : nameToken + 1;
            int prefixEnd = group ? star - 1 : star;
            prefix = prefixEnd > declaratorStart ? text.substring(starts[declaratorStart], starts[prefixEnd]) : "";
            suffix = after < end ? text.substring(starts[after], ends[end - 1]) : "";
            if (after < end && isPunct(after, '(')) {
                kind = SymbolKind.FUNCTION;
            }
        }
        int[] part = parts.get(partIndex);
        for (int i = end; i < part[1]; i++) {
            if (isPunct(i, '=')) {
                int[] value = {i + 1, part[1]};
                if (!(value[1] - value[0] == 1 && isNull(value))) {
                    problem = Optional.of("it has an initializer (" + rangeSpan(value[0], value[1], i).textOf(text)
                            + ")");
                }
                break;
            }
        }
        StringBuilder type = new StringBuilder();
        for (int i = s; i < specifierEnd; i++) {
            if (!(kinds[i] == Lexer.IDENT && STORAGE_WORDS.contains(tokenText(i)))) {
                type.append(type.length() == 0 ? "" : " ").append(tokenText(i));
            }
        }
        String declaratorText = text.substring(declarator.start(), definition.nameSpan().start())
                + text.substring(definition.nameSpan().end(), declarator.end());
        String declaredType = (type + " " + declaratorText.strip()).strip().replaceAll("\\s+", " ");
        return new LookupPointer(definition.name(), definition.nameSpan(), kind, declaredType,
                definition.declarationSpan(), specifiers, declarator, prefix, suffix, parts.size(), isStatic, problem);
    }

    /**
     * The first token of the first declarator of a declaration whose first part is {@code [s, partEnd)}: a '*',
     * a '(' that opens a declarator, else the last name before an initializer or suffix.
     */
    private int specifierEnd(int s, int partEnd) {
        int i = s;
        int lastName = -1;
        while (i < partEnd) {
            boolean declaratorGroup = isPunct(i + 1, '(') && (isPunct(i + 2, '*') || isPunct(i + 2, '^'));
            if (kinds[i] == Lexer.IDENT && isPunct(i + 1, '(') && !declaratorGroup) {
                i = groupEnd(i + 1); // __attribute__((...)), typeof(...), __aligned(8)
            } else if (isPunct(i, '*') || isPunct(i, '(')) {
                return i;
            } else if (isPunct(i, '=') || isPunct(i, '[')) {
                break;
            } else {
                if (kinds[i] == Lexer.IDENT) {
                    lastName = i;
                }
                i++;
            }
        }
        return lastName >= 0 ? lastName : partEnd;
    }

    // ---- uses ----------------------------------------------------------------------------------------------

    /** What the pointer at token {@code t} does there; C precedence decides (postfix operators bind first). */
    private PointerUse classify(String pointer, int t) {
        int prev = t - 1;
        int next = t + 1;
        if (isIncrement(next)) {
            return new PointerUse(pointer, PointerUse.Shape.ASSIGNED, tokenSpan(t)); // *p++ moves p
        }
        if (isPunct(next, '(')) {
            return new PointerUse(pointer, PointerUse.Shape.CALL, tokenSpan(t));
        }
        if (isPunct(next, '[')) {
            return new PointerUse(pointer, PointerUse.Shape.INDEX, tokenSpan(t));
        }
        if (next < n && isArrow(next)) {
            return new PointerUse(pointer, PointerUse.Shape.MEMBER, new Span(starts[t], ends[next]));
        }
        if (prev >= 0 && isPunct(prev, '*') && isUnary(prev)) {
            // *p = x and *p += x assign the symbol, not the pointer.
            int open = prev - 1;
            if (open >= 0 && isPunct(open, '(') && isPunct(next, ')') && match[open] == next && droppable(open)) {
                PointerUse.Shape shape = isPunct(next + 1, '(') ? PointerUse.Shape.CALL : PointerUse.Shape.DEREF;
                return new PointerUse(pointer, shape, new Span(starts[open], ends[next]));
            }
            return new PointerUse(pointer, PointerUse.Shape.DEREF, new Span(starts[prev], ends[t]));
        }
        if (isAssignment(next) || (prev >= 1 && isIncrement(prev - 1))) {
            return new PointerUse(pointer, PointerUse.Shape.ASSIGNED, tokenSpan(t));
        }
        if (prev >= 0 && isPunct(prev, '&') && isUnary(prev)) {
            return new PointerUse(pointer, PointerUse.Shape.ADDRESS, tokenSpan(t));
        }
        return new PointerUse(pointer, PointerUse.Shape.VALUE, tokenSpan(t));
    }

    /**
     * Whether the parentheses opening at {@code open} can go: they are not a call's, sizeof's or a keyword's (a cast
     * may stand before them).
     */
    private boolean droppable(int open) {
        int before = open - 1;
        if (before < 0) {
            return true;
        }
        if (isPunct(before, ')')) {
            return match[before] >= 0 && match[before] < before && isCastGroup(match[before], before);
        }
        if (kinds[before] == Lexer.PUNCT) {
            return !isPunct(before, ']');
        }
        return kinds[before] == Lexer.IDENT && tokenText(before).equals("return") && starts[open] > ends[before];
    }

    /** {@code =} not part of {@code ==}, or a compound assignment such as {@code +=} or {@code <<=}, at {@code i}. */
    private boolean isAssignment(int i) {
        if (i >= n || kinds[i] != Lexer.PUNCT) {
            return false;
        }
        if (isPunct(i, '=')) {
            return !(isPunct(i + 1, '=') && starts[i + 1] == ends[i]);
        }
        boolean compound = "+-*/%&|^".indexOf(text.charAt(starts[i])) >= 0 && ends[i] - starts[i] == 1;
        if (compound && isPunct(i + 1, '=') && starts[i + 1] == ends[i]) {
            return !(isPunct(i + 2, '=') && starts[i + 2] == ends[i + 1]);
        }
        boolean shift = (isPunct(i, '<') && isPunct(i + 1, '<') || isPunct(i, '>') && isPunct(i + 1, '>'))
                && starts[i + 1] == ends[i];
        return shift && isPunct(i + 2, '=') && starts[i + 2] == ends[i + 1];
    }

    /** {@code ++} or {@code --} starting at {@code i}. */
    private boolean isIncrement(int i) {
        return i >= 0 && i + 1 < n && (isPunct(i, '+') && isPunct(i + 1, '+') || isPunct(i, '-') && isPunct(i + 1, '-'))
                && starts[i + 1] == ends[i];
    }

    /** Whether the operator at {@code op} is unary: nothing that ends an operand stands before it. */
    private boolean isUnary(int op) {
        int before = op - 1;
        if (before < 0) {
            return true;
        }
        if (kinds[before] == Lexer.IDENT) {
            return KEYWORDS.contains(tokenText(before)) && !tokenText(before).equals("NULL");
        }
        if (kinds[before] == Lexer.NUMBER || kinds[before] == Lexer.STRING || kinds[before] == Lexer.CHAR) {
            return false;
        }
        if (isPunct(before, ']')) {
            return false;
        }
        if (isPunct(before, ')')) {
            return match[before] >= 0 && match[before] < before && isCastGroup(match[before], before);
        }
        return !(before >= 1 && isIncrement(before - 1));
    }

    // ---- notifiers -----------------------------------------------------------------------------------------

    /**
     * Whether a notifier does nothing but resolve: outside its resolver calls' arguments, every word is its own
     * parameter or local, a label, a string macro, or one of {@link #RESOLVING_WORDS}.
     */
    private boolean onlyResolves(FunctionBody function, List<ResolverCall> resolverCalls) {
        int open = function.bodyOpen();
        int close = closer(open);
        Span body = new Span(starts[open], ends[Math.min(close, n - 1)]);
        List<ResolverCall> inside = resolverCalls.stream().filter(call -> body.contains(call.site().callSpan())).toList();
        if (inside.isEmpty()) {
            return false;
        }
        Set<String> allowed = new HashSet<>(RESOLVING_WORDS);
        allowed.addAll(stringMacros.keySet());
        inside.forEach(call -> allowed.add(call.site().callee()));
        if (function.nameToken() >= 0 && isPunct(function.nameToken() + 1, '(')) {
            int params = function.nameToken() + 1;
            for (int i = params + 1; i < closer(params); i++) {
                if (kinds[i] == Lexer.IDENT) {
                    allowed.add(tokenText(i));
                }
            }
        }
        for (int i = open + 1; i < close; i++) {
            // Locals: the names a declaration statement (it starts with a type word) introduces.
            if (kinds[i] == Lexer.IDENT && (isPunct(i + 1, '=') || isPunct(i + 1, ';') || isPunct(i + 1, ','))
                    && declaresLocal(i, open)) {
                allowed.add(tokenText(i));
            }
            if (kinds[i] == Lexer.IDENT && (isPunct(i + 1, ':') || (i > 0 && tokenText(i - 1).equals("goto")))) {
                allowed.add(tokenText(i));
            }
        }
        for (int i = open + 1; i < close; i++) {
            if (insideArguments(i, inside)) {
                continue;
            }
            if (kinds[i] != Lexer.IDENT || (i > 0 && (isPunct(i - 1, '.') || isArrow(i - 1)))) {
                continue;
            }
            if (!allowed.contains(tokenText(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether token {@code i} is inside the arguments of one of {@code calls}. */
    private boolean insideArguments(int i, List<ResolverCall> calls) {
        for (ResolverCall call : calls) {
            if (call.site().callSpan().contains(tokenSpan(i)) && starts[i] > call.site().calleeSpan().start()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the statement holding token {@code i} (inside a body opened at {@code open}) starts with a type word. */
    private boolean declaresLocal(int i, int open) {
        int k = i;
        while (k > open + 1 && !isPunct(k - 1, ';') && !isPunct(k - 1, '{') && !isPunct(k - 1, '}')) {
            k--;
        }
        return kinds[k] == Lexer.IDENT && (TYPE_WORDS.contains(tokenText(k)) || tokenText(k).endsWith("_t"));
    }
}
