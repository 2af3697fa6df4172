// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads file-scope declarations from the {@link Lexer}'s tokens. It is a heuristic declaration reader,
 * not a C parser: it splits the file at ';' and at function bodies, finds each declarator's name by the
 * usual "specifiers, then the first identifier that is not a qualifier" rule, and records identifiers used
 * in bodies and initializers. Nothing here throws on odd input; anything unrecognized is skipped.
 */
/**
 * Reads the file-scope declarations of a livepatch source (definitions, external declarations, uses, macro
 * statements) and hands the klp annotations and klp structures to their readers.
 */
final class Parser extends TokenReader {
    private static final Set<String> STORAGE = Set.of("extern", "static", "typedef", "register", "auto",
            "_Thread_local", "__thread", "inline", "__inline", "__inline__", "_Noreturn", "__extension__");
    private static final Set<String> TYPE_KEYWORDS = Set.of("void", "char", "short", "int", "long", "float",
            "double", "signed", "unsigned", "_Bool", "_Complex", "__int128", "__signed__", "__signed");
    /** Kernel UAPI typedefs that start with "__" and so would otherwise read as annotations. */
    private static final Set<String> UNDERSCORE_TYPES = Set.of("__u8", "__u16", "__u32", "__u64", "__s8", "__s16",
            "__s32", "__s64", "__le16", "__le32", "__le64", "__be16", "__be32", "__be64", "__wsum", "__sum16",
            "__poll_t", "__kernel_size_t", "__kernel_ssize_t", "__kernel_pid_t", "__FILE", "__builtin_va_list");
    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict",
            "__restrict__", "__const", "__volatile__", "__volatile", "_Atomic");
    private static final Set<String> TAGS = Set.of("struct", "union", "enum");
    private static final Set<String> ATTRIBUTES = Set.of("__attribute__", "__attribute", "__declspec", "_Alignas");
    private static final Set<String> ASM = Set.of("asm", "__asm", "__asm__");
    private static final Set<String> TYPEOF = Set.of("typeof", "__typeof", "__typeof__", "__auto_type", "typeof_unqual");
    /** Kernel function/variable annotations that do not start with "__". */
    private static final Set<String> ANNOTATIONS = Set.of("noinline", "notrace", "asmlinkage", "noinstr",
            "noreturn", "inline", "static_assert", "_Static_assert");
    /**
     * Kernel attribute macros (include/linux/compiler*.h, init.h, cache.h): never a declared name, wherever
     * they stand, e.g. {@code struct s { ... } __packed;} or {@code extern void __compiletime_error("m") f(void);}.
     */
    private static final Set<String> KERNEL_ATTRIBUTES = Set.of("__packed", "__randomize_layout",
            "__no_randomize_layout", "____cacheline_aligned", "____cacheline_aligned_in_smp", "__cacheline_aligned",
            "__cacheline_aligned_in_smp", "__aligned", "__section", "__read_mostly", "__ro_after_init", "__initdata",
            "__initconst", "__init", "__exit", "__exitdata", "__user", "__iomem", "__percpu", "__rcu", "__force",
            "__must_check", "__always_inline", "__maybe_unused", "__used", "__weak", "__cold", "__hot", "__visible",
            "__noreturn", "__printf", "__scanf", "__compiletime_error", "__compiletime_warning", "__latent_entropy",
            "__nocfi", "__noinitretpoline", "__init_or_module", "__ref", "__refdata", "__meminit", "__meminitdata",
            "__sched", "__kprobes", "__attribute_const__", "__malloc", "__pure", "__designated_init", "__nonstring",
            "__alloc_size", "__realloc_size", "__must_hold", "__acquires", "__releases", "__bitwise", "__private",
            "__deprecated", "__flatten", "__noclone", "__no_sanitize_address", "__no_kcsan", "__irq_entry", "__naked",
            "__no_stack_protector", "__always_unused", "__gnu_inline", "__mustcheck", "__ksym", "__weak_alias",
            "__nocapture", "__alias", "__assume_aligned", "__cleanup", "__copy", "__fix_address", "__noinline",
            "__page_aligned_data", "__page_aligned_bss", "__lockfunc", "__sched_text", "noinline_for_stack",
            "__function_aligned", "__no_profile", "__no_sanitize_undefined", "__noscs", "__nosavedata");

    private final List<Definition> definitions = new ArrayList<>();
    private final List<PendingExternal> candidates = new ArrayList<>();
    private final List<MacroUse> macroUses = new ArrayList<>();
    private final Map<String, List<Span>> uses = new HashMap<>();
    private Span klpPatch;
    private Span livepatchModInfo;

    private record PendingExternal(String name, SymbolKind kind, boolean explicitExtern, boolean isStatic,
            Span nameSpan, Span declarationSpan, int declaratorEnd, Optional<AsmLabel> asmLabel,
            Optional<RelocSymbol> relocSymbol) {
    }

    private final AnnotationParser annotations;
    private final KlpStructParser structs;
    private final RuntimeLookupParser lookups;

    Parser(String text, Lexer lexer, List<ScanProblem> problems) {
        super(text, lexer, problems);
        this.annotations = new AnnotationParser(this);
        this.structs = new KlpStructParser(this);
        this.lookups = new RuntimeLookupParser(this);
        lookups.macros(lexer.macros);
    }

    SourceScan parse(LineIndex lines, Lexer lexer) {
        matchBrackets();
        int i = 0;
        while (i < n) {
            if (isPunct(i, ';') || isCloser(i)) {
                i++;
                continue;
            }
            i = declaration(i);
        }
        return finish(lines, lexer);
    }

    private SourceScan finish(LineIndex lines, Lexer lexer) {
        Set<String> defined = new HashSet<>();
        for (Definition definition : definitions) {
            defined.add(definition.name());
        }
        List<ExternalDeclaration> externals = new ArrayList<>();
        for (PendingExternal candidate : candidates) {
            if (defined.contains(candidate.name())) {
                continue;
            }
            String symbolName = candidate.asmLabel().map(AsmLabel::label)
                    .or(() -> candidate.relocSymbol().filter(reloc -> reloc.form().isMacro()).map(AnnotationParser::expandedLabel))
                    .orElse(candidate.name());
            externals.add(new ExternalDeclaration(candidate.name(), symbolName, candidate.kind(),
                    candidate.explicitExtern(), candidate.isStatic(), candidate.nameSpan(), candidate.declarationSpan(),
                    candidate.declaratorEnd(), candidate.asmLabel(), candidate.relocSymbol()));
        }
        Map<String, KlpObject> objectByFuncs = new HashMap<>();
        for (KlpObject object : structs.klpObjects) {
            object.funcsArray().ifPresent(funcs -> objectByFuncs.putIfAbsent(funcs, object));
        }
        List<KlpFunc> funcs = new ArrayList<>();
        for (KlpStructParser.PendingFunc func : structs.pendingFuncs) {
            funcs.add(new KlpFunc(func.arrayName(), func.oldName(), func.oldNameSpan(), func.newFunc(),
                    func.newFuncSpan(), func.oldSympos(), func.oldSymposSpan(), func.symposInsertion(), func.fields(),
                    Optional.ofNullable(objectByFuncs.get(func.arrayName())), func.span()));
        }
        List<ObjectNameRef> objectNames = new ArrayList<>();
        for (ModuleRelocBlock block : annotations.moduleRelocBlocks) {
            if (!block.objectName().isEmpty()) {
                objectNames.add(new ObjectNameRef(block.objectName(), block.objectSpan(), ObjectNameRef.Origin.MODULE_RELOC));
            }
        }
        for (RelocSymbol reloc : annotations.relocSymbols) {
            if (reloc.lpObject().isPresent() && reloc.lpObjectSpan().isPresent()) {
                objectNames.add(new ObjectNameRef(reloc.lpObject().get(), reloc.lpObjectSpan().get(),
                        ObjectNameRef.Origin.RELOC_SYMBOL_LP_OBJECT));
            }
            objectNames.add(new ObjectNameRef(reloc.symbolObject(), reloc.symbolObjectSpan(),
                    ObjectNameRef.Origin.RELOC_SYMBOL_OBJECT));
        }
        for (KlpObject object : structs.klpObjects) {
            object.nameSpan().ifPresent(span -> objectNames.add(
                    new ObjectNameRef(object.objectName(), span, ObjectNameRef.Origin.KLP_OBJECT)));
        }
        RuntimeLookups runtime = lookups.finish(definitions, uses, lexer.macros);
        for (KallsymsRelocEntry entry : runtime.entries()) {
            if (entry.object().isPresent() && entry.objectSpan().isPresent()) {
                objectNames.add(new ObjectNameRef(entry.object().get(), entry.objectSpan().get(),
                        ObjectNameRef.Origin.KALLSYMS_RELOC_OBJECT));
            }
        }
        objectNames.sort(Comparator.comparingInt(ref -> ref.span().start()));
        return new SourceScan(text, lines, lexer.macros, lexer.includes, lexer.inactiveRegions, definitions,
                externals, annotations.relocSymbols, annotations.moduleRelocBlocks, funcs, structs.klpObjects,
                macroUses, objectNames, Optional.ofNullable(klpPatch), Optional.ofNullable(livepatchModInfo), uses,
                runtime, problems);
    }

    // ---- declarations ------------------------------------------------------------------------------

    /** Reads one file-scope declaration or function definition starting at token {@code s}; returns the next index. */
    private int declaration(int s) {
        int j = s;
        boolean initializing = false;
        int bodyOpen = -1;
        int endToken;
        int next;
        while (true) {
            if (j >= n) {
                endToken = n;
                next = n;
                break;
            }
            if (kinds[j] == Lexer.PUNCT && ends[j] - starts[j] == 1) {
                char c = text.charAt(starts[j]);
                if (c == ';') {
                    endToken = j;
                    next = j + 1;
                    break;
                }
                if (c == ')' || c == ']' || c == '}') {
                    endToken = j;
                    next = j;
                    break;
                }
                if (c == '(' || c == '[') {
                    int after = groupEnd(j);
                    if (c == '(' && j == s + 1 && kinds[s] == Lexer.IDENT && after < n && kinds[after] == Lexer.IDENT
                            && lineBreakBetween(after - 1, after)) {
                        // A statement macro missing its ';' (module_init(f) on its own line): end it here so the
                        // next line is not read as a declarator of the macro's "type".
                        endToken = after;
                        next = after;
                        break;
                    }
                    j = after;
                    continue;
                }
                if (c == '{') {
                    if (initializing || isTypeBody(s, j)) {
                        j = groupEnd(j);
                        continue;
                    }
                    bodyOpen = j;
                    endToken = groupEnd(j);
                    next = endToken;
                    break;
                }
                if (c == ',') {
                    initializing = false;
                } else if (c == '=') {
                    initializing = true;
                }
            }
            j++;
        }
        if (next == s) {
            return s + 1;
        }
        Span declarationSpan = new Span(starts[s], ends[next - 1]);
        analyze(s, bodyOpen >= 0 ? bodyOpen : endToken, bodyOpen, declarationSpan);
        return next;
    }

    private boolean lineBreakBetween(int before, int after) {
        for (int i = ends[before]; i < starts[after]; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    /** Whether the '{' at {@code brace} opens a struct/union/enum body rather than a function body. */
    private boolean isTypeBody(int s, int brace) {
        int k = brace - 1;
        while (k >= s) {
            if (kinds[k] == Lexer.IDENT) {
                String word = tokenText(k);
                if (TAGS.contains(word)) {
                    return true;
                }
                k--;
            } else if (isPunct(k, ')') && match[k] >= s && match[k] - 1 >= s && kinds[match[k] - 1] == Lexer.IDENT
                    && tokenText(match[k] - 1).startsWith("__")) {
                k = match[k] - 2;
            } else {
                return false;
            }
        }
        return false;
    }

    private void analyze(int s, int limit, int bodyOpen, Span declarationSpan) {
        if (bodyOpen < 0 && isMacroStatement(s, limit)) {
            macroStatement(s, limit);
            return;
        }
        boolean isExtern = false;
        boolean isStatic = false;
        boolean isTypedef = false;
        boolean seenType = false;
        String typeTag = null;
        int moduleRelocToken = -1;
        int groupDepth = 0;
        List<Declarator> declarators = new ArrayList<>(1);
        Declarator current = new Declarator();
        int i = s;
        while (i < limit) {
            byte kind = kinds[i];
            if (kind == Lexer.PUNCT) {
                char c = ends[i] - starts[i] == 1 ? text.charAt(starts[i]) : 0;
                switch (c) {
                    case ',' -> {
                        declarators.add(current);
                        current = new Declarator();
                        groupDepth = 0;
                        i++;
                    }
                    case '=' -> {
                        int j = i + 1;
                        while (j < limit && !isPunct(j, ',')) {
                            j = isOpener(j) ? groupEnd(j) : j + 1;
                        }
                        current.initStart = i + 1;
                        current.initEnd = Math.min(j, limit);
                        groupDepth = 0;
                        i = j;
                    }
                    case '(' -> {
                        if (current.nameToken < 0 && i + 1 < limit && (isPunct(i + 1, '*') || isPunct(i + 1, '^'))) {
                            groupDepth++;
                            i++;
                        } else {
                            i = groupEnd(i);
                        }
                    }
                    case ')' -> {
                        if (groupDepth > 0) {
                            groupDepth--;
                        }
                        i++;
                    }
                    case '[', '{' -> i = groupEnd(i);
                    case ':' -> {
                        // A bit-field width: skip to the next declarator.
                        while (i < limit && !isPunct(i, ',')) {
                            i = isOpener(i) ? groupEnd(i) : i + 1;
                        }
                    }
                    default -> i++;
                }
                continue;
            }
            if (kind != Lexer.IDENT) {
                i++;
                continue;
            }
            String word = tokenText(i);
            boolean nextParen = i + 1 < limit && isPunct(i + 1, '(');
            if (KERNEL_ATTRIBUTES.contains(word)) {
                i = nextParen ? groupEnd(i + 1) : i + 1;
            } else if (STORAGE.contains(word)) {
                isExtern |= word.equals("extern");
                isStatic |= word.equals("static");
                isTypedef |= word.equals("typedef");
                i++;
            } else if (TAGS.contains(word)) {
                i = skipAttributes(i + 1, limit);
                if (i < limit && kinds[i] == Lexer.IDENT && !isAnnotationLike(tokenText(i))) {
                    typeTag = tokenText(i);
                    i = skipAttributes(i + 1, limit);
                }
                if (i < limit && isPunct(i, '{')) {
                    i = groupEnd(i);
                }
                seenType = true;
            } else if (TYPE_KEYWORDS.contains(word) || (UNDERSCORE_TYPES.contains(word) && current.nameToken < 0)) {
                seenType = true;
                i++;
            } else if (QUALIFIERS.contains(word)) {
                i = nextParen && word.equals("_Atomic") ? groupEnd(i + 1) : i + 1;
            } else if (ATTRIBUTES.contains(word)) {
                if (nextParen) {
                    current.isAlias |= containsWord(i + 2, closer(i + 1), "alias", "__alias__");
                    i = groupEnd(i + 1);
                } else {
                    i++;
                }
            } else if (ASM.contains(word)) {
                if (nextParen) {
                    current.asmLabel = asmLabel(i).orElse(current.asmLabel);
                    i = groupEnd(i + 1);
                } else {
                    i++;
                }
            } else if (TYPEOF.contains(word)) {
                seenType = true;
                i = nextParen ? groupEnd(i + 1) : i + 1;
            } else if ((word.equals("KLP_RELOC_SYMBOL_POS") || word.equals("KLP_RELOC_SYMBOL")) && nextParen) {
                current.relocMacroToken = i;
                i = groupEnd(i + 1);
            } else if (word.equals("KLP_MODULE_RELOC") && nextParen && current.nameToken < 0) {
                moduleRelocToken = i;
                seenType = true;
                i = groupEnd(i + 1);
            } else if (current.nameToken >= 0) {
                // Something after the declarator: __read_mostly, __section("x"), an unknown macro.
                i = nextParen ? groupEnd(i + 1) : i + 1;
            } else if (ANNOTATIONS.contains(word)) {
                i = nextParen ? groupEnd(i + 1) : i + 1;
            } else if (word.startsWith("__") && nextParen && (!seenType || followedByDeclarator(groupEnd(i + 1), limit))) {
                // __printf(1, 2), __aligned(8) and friends before the declarator.
                i = groupEnd(i + 1);
            } else if (word.startsWith("__") && i + 1 < limit && (kinds[i + 1] == Lexer.IDENT || isPunct(i + 1, '*'))
                    && (seenType || (kinds[i + 1] == Lexer.IDENT && isSpecifierLike(tokenText(i + 1))))) {
                i++; // __init, __user, __percpu, __always_inline: annotations before the name
            } else if (!seenType) {
                seenType = true;
                if (nextParen && !(i + 2 < limit && (isPunct(i + 2, '*') || isPunct(i + 2, '^')))) {
                    // A macro standing for a type or a whole declaration, e.g. DEFINE_MUTEX(lock).
                    recordUses(i + 2, closer(i + 1));
                    i = groupEnd(i + 1);
                } else {
                    i++; // a typedef name
                }
            } else if (i + 1 < limit && kinds[i + 1] == Lexer.IDENT && !isAnnotationLike(tokenText(i + 1))) {
                i++; // an unknown qualifier macro followed by the real name
            } else {
                i = declaratorName(current, i, limit, groupDepth);
                groupDepth = 0;
            }
        }
        declarators.add(current);
        classify(s, limit, bodyOpen, declarationSpan, declarators, isExtern, isStatic, isTypedef, typeTag, moduleRelocToken);
    }

    /**
     * After a group at {@code after}: does a declarator follow (so the group was an annotation's arguments, as
     * in {@code int __printf(1, 2) log(...)}), rather than an annotation or the end (so it was a parameter list)?
     */
    private boolean followedByDeclarator(int after, int limit) {
        return after < limit && ((kinds[after] == Lexer.IDENT && !isAnnotationLike(tokenText(after))) || isPunct(after, '*'));
    }

    /** Words that continue declaration specifiers, so an "__x" before them is an annotation, not a type name. */
    private static boolean isSpecifierLike(String word) {
        return TYPE_KEYWORDS.contains(word) || QUALIFIERS.contains(word) || STORAGE.contains(word) || TAGS.contains(word)
                || isAnnotationLike(word) || TYPEOF.contains(word) || ATTRIBUTES.contains(word);
    }

    /** Records the name at {@code i} and its suffixes; returns the index after them. */
    private int declaratorName(Declarator current, int i, int limit, int groupDepth) {
        current.nameToken = i;
        current.declaratorEnd = ends[i];
        int j = i + 1;
        boolean first = true;
        int depth = groupDepth;
        while (j < limit) {
            if (isPunct(j, '(')) {
                current.isFunction |= first;
                j = groupEnd(j);
            } else if (isPunct(j, '[')) {
                current.isArray |= first;
                recordUses(j + 1, closer(j));
                j = groupEnd(j);
            } else if (isPunct(j, ')') && depth > 0) {
                depth--;
                j++;
            } else {
                break;
            }
            first = false;
            current.declaratorEnd = ends[Math.min(j, n) - 1];
        }
        return j;
    }

    private int skipAttributes(int i, int limit) {
        while (i < limit && kinds[i] == Lexer.IDENT && ATTRIBUTES.contains(tokenText(i)) && i + 1 < limit && isPunct(i + 1, '(')) {
            i = groupEnd(i + 1);
        }
        return i;
    }

    private static boolean isAnnotationLike(String word) {
        return word.startsWith("__") || KERNEL_ATTRIBUTES.contains(word) || ANNOTATIONS.contains(word) || ASM.contains(word)
                || word.equals("KLP_RELOC_SYMBOL") || word.equals("KLP_RELOC_SYMBOL_POS");
    }

    private void classify(int s, int limit, int bodyOpen, Span declarationSpan, List<Declarator> declarators,
            boolean isExtern, boolean isStatic, boolean isTypedef, String typeTag, int moduleRelocToken) {
        if (bodyOpen >= 0) {
            recordUses(bodyOpen + 1, closer(bodyOpen));
        }
        for (int d = 0; d < declarators.size(); d++) {
            Declarator declarator = declarators.get(d);
            boolean moduleRelocArray = moduleRelocToken >= 0 && d == 0;
            if (declarator.initStart >= 0 && !moduleRelocArray) {
                recordUses(declarator.initStart, declarator.initEnd);
            }
            if (moduleRelocArray) {
                annotations.moduleRelocBlock(moduleRelocToken, declarator, declarationSpan);
            }
            if (declarator.nameToken < 0 || isTypedef) {
                continue;
            }
            String name = tokenText(declarator.nameToken);
            Span nameSpan = tokenSpan(declarator.nameToken);
            Optional<RelocSymbol> reloc = annotations.relocSymbol(declarator, name, nameSpan);
            reloc.ifPresent(annotations.relocSymbols::add);
            Optional<AsmLabel> asmLabel = Optional.ofNullable(declarator.asmLabel);
            if (declarator.isFunction) {
                if ((bodyOpen >= 0 && d == declarators.size() - 1) || declarator.isAlias) {
                    definitions.add(new Definition(name, SymbolKind.FUNCTION, isStatic, nameSpan, declarationSpan));
                    if (bodyOpen >= 0) {
                        lookups.functionDefinition(name, declarator, bodyOpen, declarationSpan);
                    }
                } else {
                    candidates.add(new PendingExternal(name, SymbolKind.FUNCTION, isExtern, isStatic, nameSpan,
                            declarationSpan, declarator.declaratorEnd, asmLabel, reloc));
                }
            } else if (isExtern && declarator.initStart < 0) {
                candidates.add(new PendingExternal(name, SymbolKind.VARIABLE, true, isStatic, nameSpan, declarationSpan,
                        declarator.declaratorEnd, asmLabel, reloc));
            } else {
                definitions.add(new Definition(name, SymbolKind.VARIABLE, isStatic, nameSpan, declarationSpan));
                if (declarator.initStart >= 0 && typeTag != null) {
                    switch (typeTag) {
                        case "klp_func" -> structs.klpFuncs(name, declarator);
                        case "klp_object" -> structs.klpObjects(name, declarator);
                        case "klp_patch" -> klpPatch = klpPatch == null ? declarationSpan : klpPatch;
                        default -> lookups.structVariable(typeTag, name, declarator, declarationSpan);
                    }
                }
            }
        }
    }

    private boolean isMacroStatement(int s, int limit) {
        return kinds[s] == Lexer.IDENT && s + 1 < limit && isPunct(s + 1, '(') && groupEnd(s + 1) == limit
                && !KEYWORDS.contains(tokenText(s)) && !ASM.contains(tokenText(s));
    }

    private void macroStatement(int s, int limit) {
        List<int[]> args = split(s + 2, closer(s + 1));
        List<Span> argumentSpans = new ArrayList<>(args.size());
        for (int[] arg : args) {
            argumentSpans.add(rangeSpan(arg[0], arg[1], s + 1));
        }
        String name = tokenText(s);
        Span span = new Span(starts[s], ends[Math.min(limit, n) - 1]);
        macroUses.add(new MacroUse(name, tokenSpan(s), List.copyOf(argumentSpans), span));
        if (name.equals("MODULE_INFO") && !args.isEmpty() && rangeText(args.get(0)).equals("livepatch")) {
            livepatchModInfo = livepatchModInfo == null ? span : livepatchModInfo;
        } else if (!name.equals("MODULE_INFO")) {
            recordUses(s + 2, closer(s + 1));
        }
    }

    // ---- uses --------------------------------------------------------------------------------------

    /** Records identifiers in tokens {@code [from, to)} as uses, except members after '.' or '->'. */
    private void recordUses(int from, int to) {
        int end = Math.min(to, n);
        for (int i = Math.max(from, 0); i < end; i++) {
            if (kinds[i] != Lexer.IDENT) {
                continue;
            }
            if (i > 0 && kinds[i - 1] == Lexer.PUNCT && (isPunct(i - 1, '.') || isArrow(i - 1))) {
                continue;
            }
            String word = tokenText(i);
            if (KEYWORDS.contains(word)) {
                continue;
            }
            uses.computeIfAbsent(word, key -> new ArrayList<>(2)).add(tokenSpan(i));
        }
    }
}
