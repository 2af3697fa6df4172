// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages and the completion script the package installs cover every command and every option. */
class ReferenceDocsTest {
    @TempDir
    Path tmp;

    @Test
    void everyCommandAndOptionIsInItsManPageAndInTheCompletion() throws Exception {
        ReferenceDocs.write(tmp);
        String completion = Files.readString(tmp.resolve("completion/klp-lsp"));
        String rootPage = Files.readString(tmp.resolve("man/klp-lsp.adoc"));
        Map<String, CommandLine> commands = ReferenceDocs.everyCommand().getSubcommands();
        assertEquals(Main.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()), "--help").getSubcommands().keySet(),
                commands.keySet());
        Matcher rootCommands = Pattern.compile("(?m)^function _picocli_klp-lsp\\(\\) \\{\\n(?:.*\\n){3}"
                + "  local commands=\"([^\"]*)\"").matcher(completion);
        assertTrue(rootCommands.find(), completion);
        for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
            String name = command.getKey();
            assertTrue(rootCommands.group(1).contains(name), name + " completes after klp-lsp");
            assertTrue(rootPage.contains("klp-lsp-" + name), "klp-lsp(1) points to klp-lsp-" + name);
            Path page = tmp.resolve("man/klp-lsp-" + name + ".adoc");
            assertTrue(Files.isRegularFile(page), "a man page for " + name);
            String pageText = Files.readString(page);
            assertTrue(pageText.contains("= klp-lsp-" + name + "(1)"), pageText);
            String function = functionOf(completion, "_picocli_klp-lsp_" + name);
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                for (String optionName : option.names()) {
                    assertTrue(pageText.contains("*" + optionName + "*"), optionName + " in klp-lsp-" + name + "(1)");
                    assertTrue(function.contains("'" + optionName + "'"), optionName + " completes after " + name);
                }
            }
        }
    }

    private static String functionOf(String script, String name) {
        int start = script.indexOf("function " + name + "() {");
        assertTrue(start >= 0, name + " in the completion script");
        return script.substring(start, script.indexOf("\n}\n", start));
    }
}
