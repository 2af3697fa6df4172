// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.Elf;
import dev.klplsp.elf.RelocTypes;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relocation types each architecture's {@code apply_relocate_add()} accepts in Linux 6.1: the function the
 * livepatch core calls to apply a KLP relocation section (klp_apply_section_relocs()). Any other type makes it
 * print an error and return -ENOEXEC, and the patch does not load. Read from the switch statements of
 * arch/x86/kernel/module.c (__write_relocate_add), arch/arm64/kernel/module.c, arch/powerpc/kernel/module_64.c
 * and arch/s390/kernel/module.c (apply_rela); a machine without a table here is not checked.
 */
final class AcceptedRelocationTypes {
    /** One architecture: the accepted types, the kernel's arch name and its error line for another type. */
    private record Arch(String name, BitSet accepted, String kernelMessage) {
    }

    /** Why the kernel refuses a type: the arch ("x86_64") and the line apply_relocate_add() prints. */
    record Refusal(String arch, String kernelLine) {
    }

    private static final Map<Integer, Arch> ARCHES = Map.of(
            Elf.EM_X86_64, arch(Elf.EM_X86_64, "x86_64", "%s: Unknown rela relocation: %d", List.of(),
                    "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_PC32",
                    "R_X86_64_PLT32", "R_X86_64_PC64"),
            // 0 is R_ARM_NONE and 256 R_AARCH64_NONE in the kernel's asm/elf.h (glibc names 0 R_AARCH64_NONE).
            Elf.EM_AARCH64, arch(Elf.EM_AARCH64, "arm64", "module %s: unsupported RELA relocation: %d",
                    List.of(0, 256), "R_AARCH64_ABS64", "R_AARCH64_ABS32", "R_AARCH64_ABS16", "R_AARCH64_PREL64",
                    "R_AARCH64_PREL32", "R_AARCH64_PREL16", "R_AARCH64_MOVW_UABS_G0_NC", "R_AARCH64_MOVW_UABS_G0",
                    "R_AARCH64_MOVW_UABS_G1_NC", "R_AARCH64_MOVW_UABS_G1", "R_AARCH64_MOVW_UABS_G2_NC",
                    "R_AARCH64_MOVW_UABS_G2", "R_AARCH64_MOVW_UABS_G3", "R_AARCH64_MOVW_SABS_G0",
                    "R_AARCH64_MOVW_SABS_G1", "R_AARCH64_MOVW_SABS_G2", "R_AARCH64_MOVW_PREL_G0_NC",
                    "R_AARCH64_MOVW_PREL_G0", "R_AARCH64_MOVW_PREL_G1_NC", "R_AARCH64_MOVW_PREL_G1",
                    "R_AARCH64_MOVW_PREL_G2_NC", "R_AARCH64_MOVW_PREL_G2", "R_AARCH64_MOVW_PREL_G3",
                    "R_AARCH64_LD_PREL_LO19", "R_AARCH64_ADR_PREL_LO21", "R_AARCH64_ADR_PREL_PG_HI21_NC",
                    "R_AARCH64_ADR_PREL_PG_HI21", "R_AARCH64_ADD_ABS_LO12_NC", "R_AARCH64_LDST8_ABS_LO12_NC",
                    "R_AARCH64_LDST16_ABS_LO12_NC", "R_AARCH64_LDST32_ABS_LO12_NC", "R_AARCH64_LDST64_ABS_LO12_NC",
                    "R_AARCH64_LDST128_ABS_LO12_NC", "R_AARCH64_TSTBR14", "R_AARCH64_CONDBR19",
                    "R_AARCH64_JUMP26", "R_AARCH64_CALL26"),
            // No R_PPC64_NONE: module_64.c has no case for it.
            Elf.EM_PPC64, arch(Elf.EM_PPC64, "ppc64", "%s: Unknown ADD relocation: %d", List.of(),
                    "R_PPC64_ADDR32", "R_PPC64_ADDR64", "R_PPC64_TOC", "R_PPC64_TOC16", "R_PPC64_TOC16_LO",
                    "R_PPC64_TOC16_DS", "R_PPC64_TOC16_LO_DS", "R_PPC64_TOC16_HA", "R_PPC64_REL24",
                    "R_PPC64_REL64", "R_PPC64_REL32", "R_PPC64_TOCSAVE", "R_PPC64_ENTRY", "R_PPC64_REL16_HA",
                    "R_PPC64_REL16_LO"),
            // apply_rela() refuses R_390_COPY, GLOB_DAT, JMP_SLOT and RELATIVE explicitly, everything else by default.
            Elf.EM_S390, arch(Elf.EM_S390, "s390", "module %s: unknown relocation: %d", List.of(),
                    "R_390_NONE", "R_390_8", "R_390_12", "R_390_16", "R_390_20", "R_390_32", "R_390_64",
                    "R_390_PC16", "R_390_PC16DBL", "R_390_PC32DBL", "R_390_PC32", "R_390_PC64", "R_390_GOT12",
                    "R_390_GOT16", "R_390_GOT20", "R_390_GOT32", "R_390_GOT64", "R_390_GOTENT", "R_390_GOTPLT12",
                    "R_390_GOTPLT20", "R_390_GOTPLT16", "R_390_GOTPLT32", "R_390_GOTPLT64", "R_390_GOTPLTENT",
                    "R_390_PLT16DBL", "R_390_PLT32DBL", "R_390_PLT32", "R_390_PLT64", "R_390_PLTOFF16",
                    "R_390_PLTOFF32", "R_390_PLTOFF64", "R_390_GOTOFF16", "R_390_GOTOFF32", "R_390_GOTOFF64",
                    "R_390_GOTPC", "R_390_GOTPCDBL"));

    private AcceptedRelocationTypes() {
    }

    private static Arch arch(int machine, String name, String kernelMessage, List<Integer> numbers,
            String... typeNames) {
        BitSet accepted = new BitSet();
        numbers.forEach(accepted::set);
        for (String typeName : typeNames) {
            accepted.set(RelocTypes.type(machine, typeName).orElseThrow(
                    () -> new IllegalStateException("no relocation type " + typeName)));
        }
        return new Arch(name, accepted, kernelMessage);
    }

    /** Why the kernel would refuse a relocation type; empty when it accepts it or the machine is not known here. */
    static Optional<Refusal> refusal(int machine, int type, String module) {
        Arch arch = ARCHES.get(machine);
        if (arch == null || (type >= 0 && arch.accepted().get(type))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(arch.name(), String.format(arch.kernelMessage(), module,
                Integer.toUnsignedLong(type))));
    }
}
