// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help page of every command laid out as git and objtool lay theirs out: the command's own options under
 * "Options:", each shared option set under its own heading ("Kernel options:" for {@link KernelOptions},
 * "Output options:" for {@link OutputOptions}), the standard -h/-V/--verbose last, examples at the very end (each
 * command's {@code footer}). picocli lists every option in one alphabetical block; this groups them by where
 * they are declared, so the help says which options belong together without each command repeating it.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    /** Applies the layout to {@code commandLine} and its subcommands. */
    static void apply(CommandLine commandLine) {
        // "Usage: klp-lsp check [OPTIONS] MODULE|SOURCE..." as git's "usage: git log [<options>]": the option
        // list below says the rest, grouped.
        commandLine.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        if (!commandLine.getSubcommands().isEmpty()) {
            commandLine.getCommandSpec().usageMessage().commandListHeading("%nCommands:%n");
        }
        for (Section section : Section.values()) {
            commandLine.getHelpSectionMap().put(section.key, section);
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            apply(sub);
        }
    }

    /** The help sections this layout renders in place of picocli's. */
    private enum Section implements CommandLine.IHelpSectionRenderer {
        OPTION_LIST(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST),
        OPTION_LIST_HEADING(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING),
        PARAMETER_LIST_HEADING(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING);

        private final String key;

        Section(String key) {
            this.key = key;
        }

        @Override
        public String render(Help help) {
            return switch (this) {
                case OPTION_LIST -> optionList(help);
                case OPTION_LIST_HEADING -> "";
                case PARAMETER_LIST_HEADING ->
                        help.commandSpec().positionalParameters().isEmpty() ? "" : String.format("%nArguments:%n");
            };
        }
    }

    /** The options of a command, grouped by heading, in the order {@link #groups} gives. */
    private static String optionList(Help help) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<OptionSpec>> group : groups(help.commandSpec()).entrySet()) {
            Help.Layout section = help.createDefaultLayout();
            Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
            group.getValue().forEach(option -> section.addOption(option, labels));
            text.append(String.format("%n%s:%n", group.getKey())).append(section);
        }
        return text.toString();
    }

    /**
     * Heading → options, each group sorted by name: "Options" first (the command's own, then -h, -V and
     * --verbose), then each set of shared options ({@link CommandModel#mixin}) in declaration order, headed by its
     * class name in words ("CheckOptions" → "Check options").
     */
    static Map<String, List<OptionSpec>> groups(CommandSpec spec) {
        Map<OptionSpec, String> headingOf = new LinkedHashMap<>();
        for (Map.Entry<String, CommandSpec> mixin : spec.mixins().entrySet()) {
            String heading = words(mixin.getValue().userObject().getClass().getSimpleName());
            for (OptionSpec option : mixin.getValue().options()) {
                headingOf.put(find(spec, option), heading);
            }
        }
        Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
        List<OptionSpec> own = new ArrayList<>();
        List<OptionSpec> standard = new ArrayList<>();
        groups.put("Options", own);
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            if (headingOf.containsKey(option)) {
                groups.computeIfAbsent(headingOf.get(option), key -> new ArrayList<>()).add(option);
            } else if (option.usageHelp() || option.versionHelp() || option.inherited()) {
                standard.add(option);
            } else {
                own.add(option);
            }
        }
        groups.values().forEach(options -> options.sort(Comparator.comparing(HelpLayout::sortKey)));
        own.addAll(standard);
        return groups;
    }

    /** Options sort by name without dashes, so -o and --output sit with the other o's, as in git's lists. */
    private static String sortKey(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The command's own spec of a mixin option (the same option; picocli may copy it when mixing in). */
    private static OptionSpec find(CommandSpec spec, OptionSpec mixed) {
        OptionSpec own = spec.findOption(mixed.longestName());
        return own != null ? own : mixed;
    }

    /** "KernelOptions" → "Kernel options". */
    private static String words(String className) {
        String spaced = className.replaceAll("([a-z])([A-Z])", "$1 $2");
        return spaced.charAt(0) + spaced.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
