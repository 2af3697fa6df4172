// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.RelocTypes;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.Section;

/**
 * Tells a direct call or jump to a function from a relocation that takes its address. Direct calls are immune to
 * IBT (no ENDBR needed at the target) and do not expose the function's identity; an address that escapes into a
 * pointer does.
 */
final class CallRelocations {
    private CallRelocations() {
    }

    /**
     * Whether a relocation is the operand of a call or jump: x86_64 PLT32, or PC32 right after a {@code call}
     * (0xe8) or {@code jmp} (0xe9) opcode; aarch64 CALL26/JUMP26; ppc64 REL24; s390x PLT32DBL ({@code brasl}).
     */
    static boolean isCall(int machine, Relocation relocation, Section target) {
        return switch (RelocTypes.name(machine, relocation.type())) {
            case "R_X86_64_PLT32", "R_AARCH64_CALL26", "R_AARCH64_JUMP26", "R_PPC64_REL24", "R_PPC64_REL24_NOTOC",
                    "R_390_PLT32DBL" -> true;
            case "R_X86_64_PC32" -> followsCallOpcode(relocation.offset(), target);
            default -> false;
        };
    }

    private static boolean followsCallOpcode(long offset, Section target) {
        if (target == null) {
            return false; // a relocation section that applies to no section (sh_info 0)
        }
        byte[] data = target.data();
        if (offset < 1 || offset > data.length) {
            return false;
        }
        int opcode = data[(int) offset - 1] & 0xff;
        return opcode == 0xe8 || opcode == 0xe9;
    }
}
