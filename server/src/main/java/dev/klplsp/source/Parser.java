// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import dev.klplsp.elf.KlpNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads file-scope declarations from the {@link Lexer}'s tokens. It is a heuristic declaration reader,
 * not a C parser: it splits the file at ';' and at function bodies, finds each declarator's name by the
 * usual "specifiers, then the first identifier that is not a qualifier" rule, and records identifiers used
 * in bodies and initializers. Nothing here throws on odd input; anything unrecognized is skipped.
 */
final class Parser {
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

    /** Words that are never a use of a symbol. */
    private static final Set<String> KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue",
            "default", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int",
            "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
            "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "_Alignof", "_Alignas",
            "_Atomic", "_Generic", "_Noreturn", "_Static_assert", "_Thread_local", "asm", "__asm", "__asm__",
            "__attribute__", "__attribute", "typeof", "__typeof__", "__typeof", "__extension__", "__volatile__",
            "__inline", "__inline__", "__restrict", "__const", "__signed__", "__alignof__", "bool", "true", "false",
            "NULL");
    private static final int MAX_BRACKET_PROBLEMS = 20;
    private static final int MAX_BRACKET_SEARCH = 256;

    private final String text;
    private final byte[] kinds;
    private final int[] starts;
    private final int[] ends;
    private final int n;
    private final int[] match;

    private final List<ScanProblem> problems;
    private final List<Definition> definitions = new ArrayList<>();
    private final List<PendingExternal> candidates = new ArrayList<>();
    private final List<RelocSymbol> relocSymbols = new ArrayList<>();
    private final List<ModuleRelocBlock> moduleRelocBlocks = new ArrayList<>();
    private final List<PendingFunc> pendingFuncs = new ArrayList<>();
    private final List<KlpObject> klpObjects = new ArrayList<>();
    private final List<MacroUse> macroUses = new ArrayList<>();
    private final Map<String, List<Span>> uses = new HashMap<>();
    private Span klpPatch;
    private Span livepatchModInfo;

    private record PendingExternal(String name, SymbolKind kind, boolean explicitExtern, boolean isStatic,
            Span nameSpan, Span declarationSpan, int declaratorEnd, Optional<AsmLabel> asmLabel,
            Optional<RelocSymbol> relocSymbol) {
    }

    private record PendingFunc(String arrayName, Optional<String> oldName, Optional<Span> oldNameSpan,
            Optional<String> newFunc, Optional<Span> newFuncSpan, OptionalInt oldSympos, Optional<Span> oldSymposSpan,
            Span symposInsertion, List<DesignatedField> fields, Span span) {
    }

    /** One declarator of a declaration, as token indexes (-1 when absent). */
    private static final class Declarator {
        int nameToken = -1;
        boolean isFunction;
        boolean isArray;
        int initStart = -1;
        int initEnd = -1;
        int declaratorEnd = -1;
        AsmLabel asmLabel;
        int relocMacroToken = -1;
        /** {@code __attribute__((alias("f")))}: a prototype that is really a definition. */
        boolean isAlias;
    }

    Parser(String text, Lexer lexer, List<ScanProblem> problems) {
        this.text = text;
        this.kinds = lexer.kinds;
        this.starts = lexer.starts;
        this.ends = lexer.ends;
        this.n = lexer.count;
        this.match = new int[n];
        this.problems = problems;
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
                    .or(() -> candidate.relocSymbol().filter(reloc -> reloc.form().isMacro()).map(Parser::expandedLabel))
                    .orElse(candidate.name());
            externals.add(new ExternalDeclaration(candidate.name(), symbolName, candidate.kind(),
                    candidate.explicitExtern(), candidate.isStatic(), candidate.nameSpan(), candidate.declarationSpan(),
                    candidate.declaratorEnd(), candidate.asmLabel(), candidate.relocSymbol()));
        }
        Map<String, KlpObject> objectByFuncs = new HashMap<>();
        for (KlpObject object : klpObjects) {
            object.funcsArray().ifPresent(funcs -> objectByFuncs.putIfAbsent(funcs, object));
        }
        List<KlpFunc> funcs = new ArrayList<>();
        for (PendingFunc func : pendingFuncs) {
            funcs.add(new KlpFunc(func.arrayName(), func.oldName(), func.oldNameSpan(), func.newFunc(),
                    func.newFuncSpan(), func.oldSympos(), func.oldSymposSpan(), func.symposInsertion(), func.fields(),
                    Optional.ofNullable(objectByFuncs.get(func.arrayName())), func.span()));
        }
        List<ObjectNameRef> objectNames = new ArrayList<>();
        for (ModuleRelocBlock block : moduleRelocBlocks) {
            if (!block.objectName().isEmpty()) {
                objectNames.add(new ObjectNameRef(block.objectName(), block.objectSpan(), ObjectNameRef.Origin.MODULE_RELOC));
            }
        }
        for (RelocSymbol reloc : relocSymbols) {
            if (reloc.lpObject().isPresent() && reloc.lpObjectSpan().isPresent()) {
                objectNames.add(new ObjectNameRef(reloc.lpObject().get(), reloc.lpObjectSpan().get(),
                        ObjectNameRef.Origin.RELOC_SYMBOL_LP_OBJECT));
            }
            objectNames.add(new ObjectNameRef(reloc.symbolObject(), reloc.symbolObjectSpan(),
                    ObjectNameRef.Origin.RELOC_SYMBOL_OBJECT));
        }
        for (KlpObject object : klpObjects) {
            object.nameSpan().ifPresent(span -> objectNames.add(
                    new ObjectNameRef(object.objectName(), span, ObjectNameRef.Origin.KLP_OBJECT)));
        }
        objectNames.sort(Comparator.comparingInt(ref -> ref.span().start()));
        return new SourceScan(text, lines, lexer.macros, lexer.inactiveRegions, definitions, externals, relocSymbols,
                moduleRelocBlocks, funcs, klpObjects, macroUses, objectNames, Optional.ofNullable(klpPatch),
                Optional.ofNullable(livepatchModInfo), uses, problems);
    }

    /** The label KLP_RELOC_SYMBOL[_POS] expands to with the fixture/kernel header: the dot form. */
    static String expandedLabel(RelocSymbol reloc) {
        return KlpNames.minimalName(reloc.lpObject().orElse(""), reloc.symbolObject(), reloc.symbolName(),
                reloc.pos().isPresent() ? Integer.toString(reloc.pos().getAsInt()) : "?");
    }

    // ---- brackets ----------------------------------------------------------------------------------

    private void matchBrackets() {
        int[] stack = new int[64];
        int depth = 0;
        int reported = 0;
        for (int i = 0; i < n; i++) {
            match[i] = -1;
            if (kinds[i] != Lexer.PUNCT || ends[i] - starts[i] != 1) {
                continue;
            }
            char c = text.charAt(starts[i]);
            if (c == '(' || c == '[' || c == '{') {
                if (depth == stack.length) {
                    stack = Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = i;
            } else if (c == ')' || c == ']' || c == '}') {
                char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                // Look only a bounded way down the stack, so garbage like "((((...}}}}" stays linear.
                int k = depth - 1;
                int floor = Math.max(-1, depth - 1 - MAX_BRACKET_SEARCH);
                while (k > floor && text.charAt(starts[stack[k]]) != open) {
                    k--;
                }
                if (k == floor) {
                    k = -1;
                }
                if (k < 0) {
                    if (reported++ < MAX_BRACKET_PROBLEMS) {
                        problems.add(new ScanProblem(ProblemKind.UNBALANCED_BRACKET, "'" + c + "' has no opening '" + open + "'",
                                new Span(starts[i], ends[i])));
                    }
                    continue;
                }
                for (int m = depth - 1; m > k; m--) {
                    if (reported++ < MAX_BRACKET_PROBLEMS) {
                        reportUnclosed(stack[m]);
                    }
                }
                match[stack[k]] = i;
                match[i] = stack[k];
                depth = k;
            }
        }
        for (int m = depth - 1; m >= 0; m--) {
            if (reported++ < MAX_BRACKET_PROBLEMS) {
                reportUnclosed(stack[m]);
            }
        }
    }

    private void reportUnclosed(int token) {
        char c = text.charAt(starts[token]);
        char close = c == '(' ? ')' : c == '[' ? ']' : '}';
        problems.add(new ScanProblem(ProblemKind.UNBALANCED_BRACKET, "'" + c + "' is not closed by '" + close + "'",
                new Span(starts[token], ends[token])));
    }

    /** Index just after the group opened at {@code open}; an unclosed group runs to the end. */
    private int groupEnd(int open) {
        return match[open] > open ? match[open] + 1 : n;
    }

    /** Index of the closer of the group opened at {@code open}, or {@code n} when unclosed. */
    private int closer(int open) {
        return match[open] > open ? match[open] : n;
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

    private boolean containsWord(int from, int to, String word, String alternative) {
        for (int i = from; i < Math.min(to, n); i++) {
            if (kinds[i] == Lexer.IDENT && (tokenText(i).equals(word) || tokenText(i).equals(alternative))) {
                return true;
            }
        }
        return false;
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
                moduleRelocBlock(moduleRelocToken, declarator, declarationSpan);
            }
            if (declarator.nameToken < 0 || isTypedef) {
                continue;
            }
            String name = tokenText(declarator.nameToken);
            Span nameSpan = tokenSpan(declarator.nameToken);
            Optional<RelocSymbol> reloc = relocSymbol(declarator, name, nameSpan);
            reloc.ifPresent(relocSymbols::add);
            Optional<AsmLabel> asmLabel = Optional.ofNullable(declarator.asmLabel);
            if (declarator.isFunction) {
                if ((bodyOpen >= 0 && d == declarators.size() - 1) || declarator.isAlias) {
                    definitions.add(new Definition(name, SymbolKind.FUNCTION, isStatic, nameSpan, declarationSpan));
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
                        case "klp_func" -> klpFuncs(name, declarator);
                        case "klp_object" -> klpObjects(name, declarator);
                        case "klp_patch" -> klpPatch = klpPatch == null ? declarationSpan : klpPatch;
                        default -> {
                        }
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

    // ---- v7 ----------------------------------------------------------------------------------------

    private void moduleRelocBlock(int macroToken, Declarator declarator, Span declarationSpan) {
        int open = macroToken + 1;
        int close = closer(open);
        String objectName;
        Span objectSpan;
        if (close <= open + 1) {
            objectName = "";
            objectSpan = Span.at(ends[open]);
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_OBJECT_SYNTAX, "KLP_MODULE_RELOC() needs an object name",
                    new Span(starts[macroToken], close < n ? ends[close] : ends[open])));
        } else {
            objectSpan = new Span(starts[open + 1], ends[close - 1]);
            objectName = objectSpan.textOf(text);
            if (!isObjectNameSyntax(objectName)) {
                problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_OBJECT_SYNTAX,
                        "KLP_MODULE_RELOC(" + objectName + "): the object must be a bare name such as vmlinux or a module name",
                        objectSpan));
            }
        }
        String arrayName = declarator.nameToken >= 0 ? tokenText(declarator.nameToken) : "";
        Span arrayNameSpan = declarator.nameToken >= 0 ? tokenSpan(declarator.nameToken) : Span.at(declarationSpan.end());
        List<SymposEntry> entries = new ArrayList<>();
        Optional<Span> initializer = Optional.empty();
        if (declarator.initStart >= 0 && declarator.initStart < n && isPunct(declarator.initStart, '{')) {
            int brace = declarator.initStart;
            int braceClose = closer(brace);
            initializer = Optional.of(new Span(starts[brace], braceClose < n ? ends[braceClose] : text.length()));
            for (int[] element : split(brace + 1, braceClose)) {
                if (element[0] < element[1]) {
                    symposEntry(element[0], element[1]).ifPresent(entries::add);
                }
            }
        }
        moduleRelocBlocks.add(new ModuleRelocBlock(objectName, objectSpan, arrayName, arrayNameSpan, declarationSpan,
                initializer, List.copyOf(entries)));
    }

    private static boolean isObjectNameSyntax(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Lexer.isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private Optional<SymposEntry> symposEntry(int from, int to) {
        Span entrySpan = new Span(starts[from], ends[to - 1]);
        if (!(kinds[from] == Lexer.IDENT && tokenText(from).equals("KLP_SYMPOS") && from + 1 < to && isPunct(from + 1, '(')
                && groupEnd(from + 1) == to)) {
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_ENTRY_SYNTAX,
                    "expected KLP_SYMPOS(symbol, pos) in a KLP_MODULE_RELOC array", entrySpan));
            return Optional.empty();
        }
        List<int[]> args = split(from + 2, closer(from + 1));
        int[] symbolArg = args.get(0);
        if (symbolArg[0] >= symbolArg[1]) {
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_ENTRY_SYNTAX, "KLP_SYMPOS needs a symbol", entrySpan));
            return Optional.empty();
        }
        String symbol = rangeText(symbolArg);
        Span symbolSpan = rangeSpan(symbolArg[0], symbolArg[1], from + 1);
        if (args.size() > 2) {
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_ENTRY_SYNTAX,
                    "KLP_SYMPOS takes two arguments: a symbol and a position", entrySpan));
        }
        if (args.size() < 2 || args.get(1)[0] >= args.get(1)[1]) {
            problems.add(new ScanProblem(ProblemKind.SYMPOS_MISSING, "KLP_SYMPOS(" + symbol + ") has no position", entrySpan));
            return Optional.of(new SymposEntry(symbol, symbolSpan, OptionalInt.empty(), Optional.empty(), entrySpan));
        }
        int[] posArg = args.get(1);
        Span posSpan = rangeSpan(posArg[0], posArg[1], from + 1);
        OptionalInt pos = integerLiteral(posArg[0], posArg[1]);
        if (pos.isEmpty()) {
            problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER,
                    "position '" + posSpan.textOf(text) + "' of " + symbol + " is not a non-negative integer", posSpan));
        }
        return Optional.of(new SymposEntry(symbol, symbolSpan, pos, Optional.of(posSpan), entrySpan));
    }

    // ---- minimal style -----------------------------------------------------------------------------

    private Optional<RelocSymbol> relocSymbol(Declarator declarator, String name, Span nameSpan) {
        if (declarator.relocMacroToken >= 0) {
            return relocMacro(declarator.relocMacroToken, name, nameSpan);
        }
        if (declarator.asmLabel != null && declarator.asmLabel.label().startsWith(".klp.sym.")) {
            return relocLabel(declarator.asmLabel, name, nameSpan);
        }
        return Optional.empty();
    }

    private Optional<RelocSymbol> relocMacro(int macroToken, String name, Span nameSpan) {
        boolean withPos = tokenText(macroToken).equals("KLP_RELOC_SYMBOL_POS");
        int open = macroToken + 1;
        int close = closer(open);
        Span span = new Span(starts[macroToken], close < n ? ends[close] : text.length());
        List<int[]> args = split(open + 1, close);
        int expected = withPos ? 4 : 3;
        if (args.size() != expected) {
            problems.add(new ScanProblem(ProblemKind.RELOC_SYMBOL_ARGUMENTS, tokenText(macroToken) + " takes " + expected
                    + " arguments (" + (withPos ? "lp_obj, sym_obj, name, pos" : "lp_obj, sym_obj, name") + "), found "
                    + args.size(), span));
            if (args.size() < 3) {
                return Optional.empty();
            }
        }
        for (int a = 0; a < 3; a++) {
            int[] arg = args.get(a);
            if (!(arg[1] - arg[0] >= 1 && isObjectOrSymbolTokens(arg[0], arg[1]))) {
                problems.add(new ScanProblem(ProblemKind.RELOC_SYMBOL_ARGUMENTS,
                        "argument " + (a + 1) + " of " + tokenText(macroToken) + " must be a bare name",
                        rangeSpan(arg[0], arg[1], open)));
            }
        }
        OptionalInt pos = OptionalInt.of(0);
        Optional<Span> posSpan = Optional.empty();
        if (withPos && args.size() >= 4) {
            int[] posArg = args.get(3);
            posSpan = Optional.of(rangeSpan(posArg[0], posArg[1], open));
            pos = integerLiteral(posArg[0], posArg[1]);
            if (posArg[0] >= posArg[1]) {
                problems.add(new ScanProblem(ProblemKind.SYMPOS_MISSING, "KLP_RELOC_SYMBOL_POS has no position", span));
            } else if (pos.isEmpty()) {
                problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER,
                        "position '" + posSpan.get().textOf(text) + "' is not a non-negative integer", posSpan.get()));
            }
        } else if (withPos) {
            pos = OptionalInt.empty();
        }
        Span lpSpan = rangeSpan(args.get(0)[0], args.get(0)[1], open);
        Span objSpan = rangeSpan(args.get(1)[0], args.get(1)[1], open);
        Span symSpan = rangeSpan(args.get(2)[0], args.get(2)[1], open);
        return Optional.of(new RelocSymbol(withPos ? RelocSymbol.Form.MACRO_POS : RelocSymbol.Form.MACRO, name, nameSpan,
                Optional.of(lpSpan.textOf(text)), Optional.of(lpSpan), objSpan.textOf(text), objSpan, symSpan.textOf(text),
                symSpan, pos, posSpan, span));
    }

    /** Tokens that stringify to a name: identifiers, numbers, '-' and '.' written without spaces. */
    private boolean isObjectOrSymbolTokens(int from, int to) {
        for (int i = from; i < to; i++) {
            boolean nameish = kinds[i] == Lexer.IDENT || kinds[i] == Lexer.NUMBER || isPunct(i, '-') || isPunct(i, '.');
            if (!nameish || (i > from && starts[i] != ends[i - 1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a label such as {@code .klp.sym.rela.lp.mod.foo.isra.0.2} (dot form), {@code .klp.sym.rela.lp.mod.foo,2}
     * (comma form) or the kernel's {@code .klp.sym.mod.foo,2}; the fields are {@link KlpNames#split}'s.
     */
    private Optional<RelocSymbol> relocLabel(AsmLabel label, String name, Span nameSpan) {
        String value = label.label();
        KlpNames.Split split = KlpNames.split(value);
        if (split.fields().isEmpty()) {
            return malformedLabel(label, split.problem().orElse("is malformed"));
        }
        KlpNames.Fields fields = split.fields().get();
        LabelOffsets offsets = labelOffsets(label);
        RelocSymbol.Form form = switch (fields.form()) {
            case KLP_SYM -> RelocSymbol.Form.LABEL_KLP_SYM;
            case MINIMAL_COMMA -> RelocSymbol.Form.LABEL_COMMA;
            case MINIMAL_DOT -> RelocSymbol.Form.LABEL_DOT;
        };
        Optional<Span> lpSpan = fields.lpStart() < 0 ? Optional.empty()
                : Optional.of(offsets.span(fields.lpStart(), fields.lpEnd()));
        OptionalInt pos = OptionalInt.empty();
        Optional<Span> posSpan = Optional.empty();
        if (fields.posStart() < 0) {
            problems.add(new ScanProblem(ProblemKind.SYMPOS_MISSING, "label '" + value + "' has no position ("
                    + (fields.lpStart() >= 0 ? "'.<pos>' or ',<pos>'" : "',<pos>'") + " at the end)",
                    label.contentSpan()));
        } else {
            String posText = fields.pos(value).orElseThrow();
            posSpan = Optional.of(offsets.span(fields.posStart(), value.length()));
            pos = sympos(posText);
            if (pos.isEmpty()) {
                problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER, "position '" + posText + "' in label '"
                        + value + "' is not a decimal number", posSpan.get()));
            }
        }
        return Optional.of(new RelocSymbol(form, name, nameSpan, fields.lpObject(value), lpSpan, fields.object(value),
                offsets.span(fields.objectStart(), fields.objectEnd()), fields.name(value),
                offsets.span(fields.nameStart(), fields.nameEnd()), pos, posSpan, label.span()));
    }

    private Optional<RelocSymbol> malformedLabel(AsmLabel label, String what) {
        problems.add(new ScanProblem(ProblemKind.RELOC_LABEL_MALFORMED, "label '" + label.label() + "' " + what,
                label.contentSpan()));
        return Optional.empty();
    }

    /** Maps label character indexes to source offsets (exact for one escape-free literal, else the literal span). */
    private record LabelOffsets(int contentStart, boolean exact, Span whole) {
        Span span(int from, int to) {
            return exact ? new Span(contentStart + from, contentStart + to) : whole;
        }
    }

    private LabelOffsets labelOffsets(AsmLabel label) {
        Span content = label.contentSpan();
        boolean exact = content.length() == label.label().length()
                && text.regionMatches(content.start(), label.label(), 0, label.label().length());
        return new LabelOffsets(content.start(), exact, content);
    }

    /** The label of {@code asm("...")} at token {@code asmToken}, when its parentheses hold only string literals. */
    private Optional<AsmLabel> asmLabel(int asmToken) {
        int open = asmToken + 1;
        int close = closer(open);
        if (close <= open + 1) {
            return Optional.empty();
        }
        StringBuilder label = new StringBuilder();
        for (int i = open + 1; i < close; i++) {
            if (kinds[i] != Lexer.STRING || text.charAt(starts[i]) != '"') {
                return Optional.empty();
            }
            label.append(decodeString(i));
        }
        Span contentSpan;
        boolean single = close == open + 2;
        int first = open + 1;
        if (single && isPlainLiteral(first)) {
            contentSpan = new Span(starts[first] + 1, ends[first] - 1);
        } else {
            contentSpan = new Span(starts[first], ends[close - 1]);
        }
        Span span = new Span(starts[asmToken], close < n ? ends[close] : ends[close - 1]);
        return Optional.of(new AsmLabel(label.toString(), contentSpan, span));
    }

    // ---- klp_func / klp_object ---------------------------------------------------------------------

    private void klpFuncs(String arrayName, Declarator declarator) {
        if (!isPunct(declarator.initStart, '{')) {
            return;
        }
        int brace = declarator.initStart;
        for (int[] element : split(brace + 1, closer(brace))) {
            if (element[0] >= element[1] || !isPunct(element[0], '{')) {
                continue;
            }
            List<DesignatedField> fields = fields(element[0]);
            int elementClose = closer(element[0]);
            if (fields.isEmpty()) {
                // The { } terminator, or positional initializers, where adding a designated field would
                // shift the positional ones: not reported.
                continue;
            }
            Optional<String> oldName = Optional.empty();
            Optional<Span> oldNameSpan = Optional.empty();
            Optional<String> newFunc = Optional.empty();
            Optional<Span> newFuncSpan = Optional.empty();
            OptionalInt oldSympos = OptionalInt.empty();
            Optional<Span> oldSymposSpan = Optional.empty();
            for (DesignatedField field : fields) {
                int[] value = tokensOf(field.valueSpan());
                switch (field.name()) {
                    case "old_name" -> {
                        Optional<String> literal = stringLiteral(value[0], value[1]);
                        if (literal.isPresent()) {
                            oldName = literal;
                            oldNameSpan = Optional.of(value[1] - value[0] == 1 && isPlainLiteral(value[0])
                                    ? new Span(starts[value[0]] + 1, ends[value[0]] - 1)
                                    : field.valueSpan());
                        }
                    }
                    case "new_func" -> {
                        for (int t = value[0]; t < value[1]; t++) {
                            if (kinds[t] == Lexer.IDENT && !KEYWORDS.contains(tokenText(t))) {
                                newFunc = Optional.of(tokenText(t));
                                newFuncSpan = Optional.of(tokenSpan(t));
                                break;
                            }
                        }
                    }
                    case "old_sympos" -> {
                        oldSymposSpan = Optional.of(field.valueSpan());
                        oldSympos = integerLiteral(value[0], value[1]);
                        if (oldSympos.isEmpty()) {
                            problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER, "old_sympos '"
                                    + field.valueSpan().textOf(text) + "' is not a non-negative integer", field.valueSpan()));
                        }
                    }
                    default -> {
                    }
                }
            }
            int insertion;
            if (fields.isEmpty()) {
                insertion = ends[element[0]];
            } else {
                int afterLast = tokensOf(fields.get(fields.size() - 1).span())[1];
                insertion = afterLast < elementClose && isPunct(afterLast, ',') ? ends[afterLast]
                        : fields.get(fields.size() - 1).span().end();
            }
            Span span = new Span(starts[element[0]], elementClose < n ? ends[elementClose] : text.length());
            pendingFuncs.add(new PendingFunc(arrayName, oldName, oldNameSpan, newFunc, newFuncSpan, oldSympos,
                    oldSymposSpan, Span.at(insertion), List.copyOf(fields), span));
        }
    }

    private void klpObjects(String variableName, Declarator declarator) {
        if (!isPunct(declarator.initStart, '{')) {
            return;
        }
        int brace = declarator.initStart;
        List<int[]> elements = new ArrayList<>();
        if (declarator.isArray) {
            elements.addAll(split(brace + 1, closer(brace)));
        } else {
            elements.add(new int[] {brace, groupEnd(brace)});
        }
        for (int[] element : elements) {
            if (element[0] >= element[1] || !isPunct(element[0], '{')) {
                continue;
            }
            List<DesignatedField> fields = fields(element[0]);
            if (fields.isEmpty()) {
                continue;
            }
            String objectName = KlpNames.VMLINUX;
            boolean vmlinux = true;
            Optional<Span> nameSpan = Optional.empty();
            Optional<String> funcs = Optional.empty();
            Optional<Span> funcsSpan = Optional.empty();
            for (DesignatedField field : fields) {
                int[] value = tokensOf(field.valueSpan());
                if (field.name().equals("name")) {
                    Optional<String> literal = stringLiteral(value[0], value[1]);
                    if (literal.isPresent()) {
                        objectName = literal.get();
                        vmlinux = false;
                        nameSpan = Optional.of(value[1] - value[0] == 1 && isPlainLiteral(value[0])
                                ? new Span(starts[value[0]] + 1, ends[value[0]] - 1)
                                : field.valueSpan());
                    } else if (!(value[1] - value[0] == 1 && tokenText(value[0]).equals("NULL")) && value[1] > value[0]) {
                        objectName = field.valueSpan().textOf(text);
                        vmlinux = false;
                    }
                } else if (field.name().equals("funcs")) {
                    for (int t = value[0]; t < value[1]; t++) {
                        if (kinds[t] == Lexer.IDENT) {
                            funcs = Optional.of(tokenText(t));
                            funcsSpan = Optional.of(tokenSpan(t));
                            break;
                        }
                    }
                }
            }
            int elementClose = closer(element[0]);
            Span span = new Span(starts[element[0]], elementClose < n ? ends[elementClose] : text.length());
            klpObjects.add(new KlpObject(variableName, objectName, vmlinux, nameSpan, funcs, funcsSpan, span));
        }
    }

    /** The {@code .name = value} fields directly inside the braces opened at {@code brace}. */
    private List<DesignatedField> fields(int brace) {
        List<DesignatedField> fields = new ArrayList<>();
        for (int[] item : split(brace + 1, closer(brace))) {
            int a = item[0];
            if (item[1] - a >= 3 && isPunct(a, '.') && kinds[a + 1] == Lexer.IDENT && isPunct(a + 2, '=')) {
                Span valueSpan = item[1] > a + 3 ? new Span(starts[a + 3], ends[item[1] - 1]) : Span.at(ends[a + 2]);
                fields.add(new DesignatedField(tokenText(a + 1), tokenSpan(a + 1), valueSpan,
                        new Span(starts[a], valueSpan.end())));
            }
        }
        return fields;
    }

    // ---- token helpers -----------------------------------------------------------------------------

    /** Splits tokens {@code [from, to)} at top-level commas; always at least one (maybe empty) range. */
    private List<int[]> split(int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int end = Math.min(to, n);
        int partStart = from;
        int i = from;
        while (i < end) {
            if (isPunct(i, ',')) {
                parts.add(new int[] {partStart, i});
                partStart = i + 1;
                i++;
            } else if (isOpener(i)) {
                i = Math.min(groupEnd(i), end);
            } else {
                i++;
            }
        }
        parts.add(new int[] {partStart, Math.max(partStart, end)});
        return parts;
    }

    /** The source span of tokens {@code [from, to)}; an empty range is an empty span after {@code before}. */
    private Span rangeSpan(int from, int to, int before) {
        if (from >= to) {
            int anchor = from - 1 >= 0 && from - 1 < n ? from - 1 : before;
            return Span.at(ends[anchor]);
        }
        return new Span(starts[from], ends[to - 1]);
    }

    private String rangeText(int[] range) {
        return range[0] >= range[1] ? "" : text.substring(starts[range[0]], ends[range[1] - 1]);
    }

    /** Token indexes {@code [from, to)} covering a span produced from whole tokens. */
    private int[] tokensOf(Span span) {
        int from = Arrays.binarySearch(starts, 0, n, span.start());
        if (from < 0) {
            from = -from - 1;
        }
        int to = from;
        while (to < n && ends[to] <= span.end() && starts[to] < span.end()) {
            to++;
        }
        return new int[] {from, Math.max(from, to)};
    }

    /** A C integer literal in tokens {@code [from, to)} (decimal, octal, hex; u/l suffixes) that fits an int. */
    private OptionalInt integerLiteral(int from, int to) {
        if (to - from != 1 || kinds[from] != Lexer.NUMBER) {
            return OptionalInt.empty();
        }
        String literal = tokenText(from);
        int end = literal.length();
        while (end > 0 && "uUlL".indexOf(literal.charAt(end - 1)) >= 0) {
            end--;
        }
        String digits = literal.substring(0, end);
        try {
            long value;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                value = Long.parseLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                value = Long.parseLong(digits.substring(1), 8);
            } else {
                value = Long.parseLong(digits);
            }
            return value >= 0 && value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    /** A position as the kernel's {@code %lu} reads it (KlpNames' one parser), when it fits an int. */
    private static OptionalInt sympos(String digits) {
        OptionalLong value = KlpNames.parseSympos(digits);
        return value.isPresent() && value.getAsLong() <= Integer.MAX_VALUE ? OptionalInt.of((int) value.getAsLong())
                : OptionalInt.empty();
    }

    /** Adjacent plain string literals in {@code [from, to)}, concatenated and decoded. */
    private Optional<String> stringLiteral(int from, int to) {
        if (from >= to) {
            return Optional.empty();
        }
        StringBuilder value = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (kinds[i] != Lexer.STRING) {
                return Optional.empty();
            }
            value.append(decodeString(i));
        }
        return Optional.of(value.toString());
    }

    private boolean isPlainLiteral(int token) {
        int start = starts[token];
        int end = ends[token];
        if (text.charAt(start) != '"' || end - start < 2 || text.charAt(end - 1) != '"') {
            return false;
        }
        int backslash = text.indexOf('\\', start);
        return backslash < 0 || backslash >= end;
    }

    /** Decodes the content of the string literal token (prefix, quotes and common escapes). */
    private String decodeString(int token) {
        int i = starts[token];
        int end = ends[token];
        while (i < end && text.charAt(i) != '"') {
            i++; // L, u, U, u8 prefixes
        }
        i++;
        int contentEnd = end > i && text.charAt(end - 1) == '"' ? end - 1 : end;
        StringBuilder out = new StringBuilder(Math.max(0, contentEnd - i));
        while (i < contentEnd) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= contentEnd) {
                out.append(c);
                i++;
                continue;
            }
            char e = text.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int value = e - '0';
                    int digits = 1;
                    while (digits < 3 && i < contentEnd && text.charAt(i) >= '0' && text.charAt(i) <= '7') {
                        value = value * 8 + text.charAt(i) - '0';
                        i++;
                        digits++;
                    }
                    out.append((char) value);
                }
                case 'x' -> {
                    int value = 0;
                    while (i < contentEnd && Character.digit(text.charAt(i), 16) >= 0) {
                        value = (value * 16 + Character.digit(text.charAt(i), 16)) & 0xFFFF;
                        i++;
                    }
                    out.append((char) value);
                }
                case '\n' -> {
                }
                case '\r' -> {
                    if (i < contentEnd && text.charAt(i) == '\n') {
                        i++;
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    private boolean isPunct(int i, char c) {
        return i >= 0 && i < n && kinds[i] == Lexer.PUNCT && ends[i] - starts[i] == 1 && text.charAt(starts[i]) == c;
    }

    private boolean isArrow(int i) {
        return kinds[i] == Lexer.PUNCT && ends[i] - starts[i] == 2 && text.charAt(starts[i]) == '-'
                && text.charAt(starts[i] + 1) == '>';
    }

    private boolean isOpener(int i) {
        return isPunct(i, '(') || isPunct(i, '[') || isPunct(i, '{');
    }

    private boolean isCloser(int i) {
        return isPunct(i, ')') || isPunct(i, ']') || isPunct(i, '}');
    }

    private String tokenText(int i) {
        return text.substring(starts[i], ends[i]);
    }

    private Span tokenSpan(int i) {
        return new Span(starts[i], ends[i]);
    }
}
