// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code klp-lsp header}: prints klp_relocs.h, the annotation macros for livepatches built on stock kernels. */
@Command(name = "header", mixinStandardHelpOptions = true,
        header = "Print klp_relocs.h, the relocation macros for stock kernels.",
        description = "Prints klp_relocs.h: KLP_MODULE_RELOC/KLP_SYMPOS (klp-convert v7) and"
                + " KLP_RELOC_SYMBOL/KLP_RELOC_SYMBOL_POS (minimal klp-convert), for a livepatch built against a"
                + " stock kernel.",
        footerHeading = "%nExamples:%n",
        footer = {"  klp-lsp header > klp_relocs.h"})
public final class HeaderCommand implements Callable<Integer> {
    static final String RESOURCE = "/include/klp_relocs.h";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(text());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static String text() {
        try (InputStream in = HeaderCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
