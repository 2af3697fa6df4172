// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's model of a command or of a set of shared options, declared in code next to the fields the options set:
 * {@code CommandModel.command(this, "elf").header(...).positional("file", "1", "FILE", "An ET_REL object.")
 * .flag("json", "Print JSON.", "--json").build()}. An option names the field it sets; one {@link FieldBinding}
 * reads and writes it.
 *
 * <p>Why not picocli's annotations: in a fresh JVM the first annotation read generates the JDK's annotation proxy
 * classes, which JDK 17's class-data archive cannot hold, and {@code mixinStandardHelpOptions} reflects picocli's own
 * annotated mixin: picocli's model of a command took ~40 ms in a fresh JVM, built here ~20 ms (docs/benchmarks.md,
 * "Start-up work, fourth session").
 * Built here, a run reads no annotation. No lambda per option either: each call site would be linked at start-up.
 */
final class CommandModel {
    private final Object target;
    private final CommandSpec spec;

    private CommandModel(Object target, CommandSpec spec) {
        this.target = target;
        this.spec = spec;
    }

    /** A command named {@code name} whose options set {@code command}'s fields; {@link #build} completes it. */
    static CommandModel command(Object command, String name) {
        return new CommandModel(command, CommandSpec.wrapWithoutInspection(command).name(name));
    }

    /**
     * Options several commands share (what picocli calls a mixin), setting {@code options}' fields; their help
     * lists them under a heading made of the class's name ({@link HelpLayout}).
     */
    static CommandModel options(Object options) {
        return new CommandModel(options, CommandSpec.wrapWithoutInspection(options));
    }

    /** The model while it is declared (a command's shared options need it); {@link #build} completes it. */
    CommandSpec spec() {
        return spec;
    }

    /**
     * The command's model, complete with -h/--help and -V/--version after its own options, in the order and with
     * the texts of picocli's {@code mixinStandardHelpOptions}; the command line built from it sets the fields.
     */
    CommandSpec build() {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** The one-line summary the command list of {@code klp-lsp --help} shows. */
    CommandModel header(String header) {
        spec.usageMessage().header(header);
        return this;
    }

    CommandModel description(String... paragraphs) {
        spec.usageMessage().description(paragraphs);
        return this;
    }

    /** The exit codes, each "CODE:meaning", under "Exit codes:". */
    CommandModel exitCodes(String... codes) {
        Map<String, String> meanings = new LinkedHashMap<>();
        for (String code : codes) {
            int colon = code.indexOf(':');
            meanings.put(code.substring(0, colon), code.substring(colon + 1));
        }
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(meanings);
        return this;
    }

    /** Example command lines, last on the help page under "Examples:". */
    CommandModel examples(String... lines) {
        spec.usageMessage().footerHeading("%nExamples:%n").footer(lines);
        return this;
    }

    /**
     * The positional parameters in {@code field}: {@code arity} "1" for one, "1..*" for one or more, "0..1" for an
     * optional one.
     */
    CommandModel positional(String field, String arity, String label, String description) {
        FieldBinding binding = new FieldBinding(target, field);
        spec.addPositional(PositionalParamSpec.builder().arity(arity).required(!arity.startsWith("0"))
                .paramLabel(label).description(description)
                .type(binding.type()).auxiliaryTypes(binding.elementType()).getter(binding).setter(binding)
                .initialValue(binding.get()).build());
        return this;
    }

    /** An option with a value ({@code label}) into {@code field}; repeatable when the field is a List. */
    CommandModel option(String field, String label, String description, String... names) {
        spec.addOption(builder(field, description, names).paramLabel(label).build());
        return this;
    }

    /** A boolean option (no value) setting {@code field}. */
    CommandModel flag(String field, String description, String... names) {
        spec.addOption(builder(field, description, names).build());
        return this;
    }

    /** A flag every subcommand inherits (picocli's ScopeType.INHERIT), such as --verbose. */
    CommandModel inheritedFlag(String field, String description, String... names) {
        spec.addOption(builder(field, description, names).scopeType(CommandLine.ScopeType.INHERIT).build());
        return this;
    }

    /**
     * Makes the options declared so far mutually exclusive and optional (-o or --in-place, neither, not both), as
     * {@code @ArgGroup(exclusive = true, multiplicity = "0..1")}.
     */
    CommandModel exclusive() {
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(true).multiplicity("0..1");
        List<OptionSpec> options = List.copyOf(spec.options());
        for (OptionSpec option : options) {
            spec.remove(option);
            group.addArg(option);
        }
        spec.addArgGroup(group.build());
        return this;
    }

    /** Adds shared options ({@link #options}) to this command, in help order. */
    CommandModel mixin(String name, CommandModel options) {
        spec.addMixin(name, options.spec);
        return this;
    }

    private OptionSpec.Builder builder(String field, String description, String... names) {
        FieldBinding binding = new FieldBinding(target, field);
        return OptionSpec.builder(names).description(description).type(binding.type())
                .auxiliaryTypes(binding.elementType()).getter(binding).setter(binding).initialValue(binding.get());
    }

    /**
     * Reads and writes one field of an options object, found by name. Its initial value is what picocli resets
     * the option to before parsing, as it does for an annotated field.
     */
    private static final class FieldBinding implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        private final Object target;
        private final Field field;

        FieldBinding(Object target, String name) {
            this.target = target;
            try {
                this.field = target.getClass().getDeclaredField(name);
                field.trySetAccessible(); // picocli's HelpCommand keeps its parameter in a private field
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(target.getClass().getSimpleName() + " has no field " + name, e);
            }
        }

        Class<?> type() {
            return field.getType();
        }

        /** The element type of a List field (Path of {@code List<Path>}), else the field's type. */
        Class<?> elementType() {
            return field.getGenericType() instanceof ParameterizedType list
                    ? (Class<?>) list.getActualTypeArguments()[0] : field.getType();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            try {
                return (T) field.get(target);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public <T> T set(T value) {
            try {
                T previous = get();
                field.set(target, value);
                return previous;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
