// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem (or note) about a livepatch module. Data only: front ends render it.
 *
 * @param message       one line, no trailing period, naming the symbol and object
 * @param symbol        the referenced symbol name (as the source spells it), or null
 * @param object        the kernel object involved (vmlinux or a module name), or null
 * @param location      where in the module
 * @param candidates    kernel symbols the reference could mean, in the kernel's counting order
 * @param fixes         alternative choices, one per candidate (or clone rename)
 * @param kernelMessage what the 6.1 kernel prints when it refuses the module for this reason (without the
 *                      "livepatch: " prefix), when known
 */
public record Finding(Code code, Severity severity, String message, String symbol, String object,
        Optional<ElfLocation> location, List<Candidate> candidates, List<SymposChoice> fixes,
        Optional<String> kernelMessage) {

    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        candidates = List.copyOf(candidates);
        fixes = List.copyOf(fixes);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * A stable identity across runs: code, symbol, object, section and offset (not the message, whose wording may
     * improve). Front ends use it to match a finding with a later quick-fix request.
     */
    public String fingerprint() {
        String key = code.id() + "\0" + symbol + "\0" + object + "\0"
                + location.map(l -> l.section() + "\0" + l.offset()).orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
