// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a converted module goes: the module itself ({@code inPlace}), a file-name pattern beside it in which
 * {@code {name}} is the module's name without {@code .ko} ({@code {name}.klp.ko}: {@code a.ko} →
 * {@code a.klp.ko}), or one named file (the CLI's {@code -o}). In a pattern or a named file, {@code {kernel}} is
 * the name of the kernel the module is converted for ({@code {name}-{kernel}.ko}: {@code a-6.1.0-56-amd64.ko}),
 * which a conversion for several kernels needs: one output per kernel.
 */
public final class OutputRule {
    /** The setting value that means "replace the module". */
    public static final String IN_PLACE = "inPlace";
    public static final String NAME = "{name}";
    public static final String KERNEL = "{kernel}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{name\\}|\\{kernel\\}");

    public static final OutputRule IN_PLACE_RULE = new OutputRule(null, null);

    /** The pattern beside the module, or null. */
    private final String pattern;
    /** The one named file, or null. */
    private final Path file;

    private OutputRule(String pattern, Path file) {
        this.pattern = pattern;
        this.file = file;
    }

    /** Writes to {@code file} whatever the module is called. */
    public static OutputRule file(Path file) {
        return new OutputRule(null, file.toAbsolutePath().normalize());
    }

    /**
     * The rule a setting value names: {@code inPlace} or a file-name pattern.
     *
     * @throws IllegalArgumentException when {@link #settingProblem} has a problem with it (callers check first)
     */
    public static OutputRule ofSetting(String value) {
        settingProblem(value).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return value.equals(IN_PLACE) ? IN_PLACE_RULE : new OutputRule(value, null);
    }

    /** Why a setting value is not {@code inPlace} or a file-name pattern, or empty when it is one. */
    public static Optional<String> settingProblem(String value) {
        if (value.equals(IN_PLACE)) {
            return Optional.empty();
        }
        if (value.isBlank() || value.indexOf('/') >= 0 || value.indexOf('\0') >= 0 || value.equals(".")
                || value.equals("..")) {
            return Optional.of("expected \"" + IN_PLACE + "\" or a file name pattern such as \"{name}.klp.ko\", got \""
                    + value.replace("\0", "\\0") + "\"");
        }
        return Optional.empty();
    }

    public boolean isInPlace() {
        return pattern == null && file == null;
    }

    /** Whether the rule names the kernel ({@code {kernel}}), so several kernels get several outputs. */
    public boolean namesKernel() {
        return file != null ? file.toString().contains(KERNEL) : pattern != null && pattern.contains(KERNEL);
    }

    /** The file a conversion of {@code module} for the kernel named {@code kernel} writes. */
    public Path targetFor(Path module, String kernel) {
        String safeKernel = kernel.replace('/', '_').replace('\0', '_');
        if (file != null) {
            return Path.of(file.toString().replace(KERNEL, safeKernel));
        }
        if (pattern == null) {
            return module;
        }
        String name = module.getFileName().toString();
        String base = name.endsWith(".ko") ? name.substring(0, name.length() - 3) : name;
        return module.resolveSibling(pattern.replace(NAME, base).replace(KERNEL, safeKernel));
    }

    /**
     * Whether {@code file} is what this rule writes (so a watcher must not convert it again): a name the pattern
     * makes from some module, or the named file.
     */
    public boolean isOutput(Path file) {
        if (this.file != null) {
            String written = this.file.toString();
            String candidate = file.toAbsolutePath().normalize().toString();
            return written.contains(KERNEL) ? matches(written, candidate) : written.equals(candidate);
        }
        if (pattern == null || file.getFileName() == null) {
            return false;
        }
        return matches(pattern, file.getFileName().toString());
    }

    /** Whether {@code text} is what {@code template} makes with some non-empty value for each placeholder. */
    private static boolean matches(String template, String text) {
        StringBuilder regex = new StringBuilder();
        int at = 0;
        Matcher placeholder = PLACEHOLDER.matcher(template);
        while (placeholder.find()) {
            regex.append(Pattern.quote(template.substring(at, placeholder.start()))).append(".+");
            at = placeholder.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return text.matches(regex.toString());
    }

    /** The setting value ({@code inPlace} or the pattern), or the named file. */
    @Override
    public String toString() {
        return file != null ? file.toString() : pattern != null ? pattern : IN_PLACE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutputRule rule && java.util.Objects.equals(pattern, rule.pattern)
                && java.util.Objects.equals(file, rule.file);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(pattern, file);
    }
}
