// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code klp-lsp header}: prints klp_relocs.h, the annotation macros for livepatches built on stock kernels. */
public final class HeaderCommand implements Callable<Integer> {
    static final String RESOURCE = "/include/klp_relocs.h";

    CommandSpec spec;

    /** The command's model: its help (it has no options of its own). */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "header");
        spec = model.spec();
        return model.header("Print klp_relocs.h, the relocation macros for stock kernels.")
                .description("Prints klp_relocs.h: KLP_MODULE_RELOC/KLP_SYMPOS (klp-convert v7) and"
                        + " KLP_RELOC_SYMBOL/KLP_RELOC_SYMBOL_POS (minimal klp-convert), for a livepatch built against"
                        + " a stock kernel.")
                .examples("  klp-lsp header > klp_relocs.h")
                .build();
    }

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
