// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

/**
 * Relocation type names per machine, as in elf.h (generated from glibc's elf.h; the first name of each
 * number, which is the one readelf prints; ppc64 types 116-151, missing from glibc 2.36, from binutils'
 * include/elf/ppc64.h): x86_64, i386, aarch64, ppc64, s390x and arm.
 */
public final class RelocTypes {
    private RelocTypes() {
    }

    /** "R_X86_64_PC32" etc.; an unknown type is "R_&lt;machine&gt;_&lt;n&gt;". */
    public static String name(int machine, int type) {
        String[] names = table(machine);
        if (names != null && type >= 0 && type < names.length && names[type] != null) {
            return names[type];
        }
        return "R_" + machine + "_" + type;
    }

    /** The number of a type name on a machine ("R_X86_64_PC32" is 2 on EM_X86_64); empty when it is unknown. */
    public static java.util.OptionalInt type(int machine, String name) {
        String[] names = table(machine);
        for (int type = 0; names != null && type < names.length; type++) {
            if (name.equals(names[type])) {
                return java.util.OptionalInt.of(type);
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** Whether a type is the machine's no-op relocation (type 0 on every supported machine). */
    public static boolean isNone(int machine, int type) {
        return type == 0;
    }

    /**
     * The width in bytes of an absolute data relocation ({@code S + A} stored as a plain word), the only kind
     * debug sections carry: R_X86_64_64/32/32S, R_386_32, R_AARCH64_ABS64/ABS32, R_PPC64_ADDR64/ADDR32/
     * UADDR64/UADDR32, R_390_64/32, R_ARM_ABS32. 0 for every other type.
     */
    public static int absoluteDataSize(int machine, int type) {
        return switch (machine) {
            case Elf.EM_X86_64 -> type == 1 ? 8 : type == 10 || type == 11 ? 4 : 0;
            case Elf.EM_386 -> type == 1 ? 4 : 0;
            case Elf.EM_AARCH64 -> type == 257 ? 8 : type == 258 ? 4 : 0;
            case Elf.EM_PPC64 -> type == 38 || type == 43 ? 8 : type == 1 || type == 24 ? 4 : 0;
            case Elf.EM_S390 -> type == 22 ? 8 : type == 4 ? 4 : 0;
            case Elf.EM_ARM -> type == 2 ? 4 : 0;
            default -> 0;
        };
    }

    private static String[] table(int machine) {
        return switch (machine) {
            case Elf.EM_X86_64 -> X86_64;
            case Elf.EM_386 -> I386;
            case Elf.EM_AARCH64 -> AARCH64;
            case Elf.EM_PPC64 -> PPC64;
            case Elf.EM_S390 -> S390;
            case Elf.EM_ARM -> ARM;
            default -> null;
        };
    }

    private static final String[] X86_64 = {
            "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32", "R_X86_64_COPY",
            "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE", "R_X86_64_GOTPCREL", "R_X86_64_32",
            "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16", "R_X86_64_8", "R_X86_64_PC8", "R_X86_64_DTPMOD64",
            "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64", "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32",
            "R_X86_64_GOTTPOFF", "R_X86_64_TPOFF32", "R_X86_64_PC64", "R_X86_64_GOTOFF64", "R_X86_64_GOTPC32",
            "R_X86_64_GOT64", "R_X86_64_GOTPCREL64", "R_X86_64_GOTPC64", "R_X86_64_GOTPLT64", "R_X86_64_PLTOFF64",
            "R_X86_64_SIZE32", "R_X86_64_SIZE64", "R_X86_64_GOTPC32_TLSDESC", "R_X86_64_TLSDESC_CALL",
            "R_X86_64_TLSDESC", "R_X86_64_IRELATIVE", "R_X86_64_RELATIVE64", null, null, "R_X86_64_GOTPCRELX",
            "R_X86_64_REX_GOTPCRELX",
    };

    private static final String[] I386 = {
            "R_386_NONE", "R_386_32", "R_386_PC32", "R_386_GOT32", "R_386_PLT32", "R_386_COPY", "R_386_GLOB_DAT",
            "R_386_JMP_SLOT", "R_386_RELATIVE", "R_386_GOTOFF", "R_386_GOTPC", "R_386_32PLT", null, null,
            "R_386_TLS_TPOFF", "R_386_TLS_IE", "R_386_TLS_GOTIE", "R_386_TLS_LE", "R_386_TLS_GD", "R_386_TLS_LDM",
            "R_386_16", "R_386_PC16", "R_386_8", "R_386_PC8", "R_386_TLS_GD_32", "R_386_TLS_GD_PUSH",
            "R_386_TLS_GD_CALL", "R_386_TLS_GD_POP", "R_386_TLS_LDM_32", "R_386_TLS_LDM_PUSH", "R_386_TLS_LDM_CALL",
            "R_386_TLS_LDM_POP", "R_386_TLS_LDO_32", "R_386_TLS_IE_32", "R_386_TLS_LE_32", "R_386_TLS_DTPMOD32",
            "R_386_TLS_DTPOFF32", "R_386_TLS_TPOFF32", "R_386_SIZE32", "R_386_TLS_GOTDESC", "R_386_TLS_DESC_CALL",
            "R_386_TLS_DESC", "R_386_IRELATIVE", "R_386_GOT32X",
    };

    private static final String[] AARCH64 = {
            "R_AARCH64_NONE", "R_AARCH64_P32_ABS32", null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            "R_AARCH64_P32_COPY", "R_AARCH64_P32_GLOB_DAT", "R_AARCH64_P32_JUMP_SLOT", "R_AARCH64_P32_RELATIVE",
            "R_AARCH64_P32_TLS_DTPMOD", "R_AARCH64_P32_TLS_DTPREL", "R_AARCH64_P32_TLS_TPREL",
            "R_AARCH64_P32_TLSDESC", "R_AARCH64_P32_IRELATIVE", null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, "R_AARCH64_ABS64", "R_AARCH64_ABS32",
            "R_AARCH64_ABS16", "R_AARCH64_PREL64", "R_AARCH64_PREL32", "R_AARCH64_PREL16", "R_AARCH64_MOVW_UABS_G0",
            "R_AARCH64_MOVW_UABS_G0_NC", "R_AARCH64_MOVW_UABS_G1", "R_AARCH64_MOVW_UABS_G1_NC",
            "R_AARCH64_MOVW_UABS_G2", "R_AARCH64_MOVW_UABS_G2_NC", "R_AARCH64_MOVW_UABS_G3",
            "R_AARCH64_MOVW_SABS_G0", "R_AARCH64_MOVW_SABS_G1", "R_AARCH64_MOVW_SABS_G2", "R_AARCH64_LD_PREL_LO19",
            "R_AARCH64_ADR_PREL_LO21", "R_AARCH64_ADR_PREL_PG_HI21", "R_AARCH64_ADR_PREL_PG_HI21_NC",
            "R_AARCH64_ADD_ABS_LO12_NC", "R_AARCH64_LDST8_ABS_LO12_NC", "R_AARCH64_TSTBR14", "R_AARCH64_CONDBR19",
            null, "R_AARCH64_JUMP26", "R_AARCH64_CALL26", "R_AARCH64_LDST16_ABS_LO12_NC",
            "R_AARCH64_LDST32_ABS_LO12_NC", "R_AARCH64_LDST64_ABS_LO12_NC", "R_AARCH64_MOVW_PREL_G0",
            "R_AARCH64_MOVW_PREL_G0_NC", "R_AARCH64_MOVW_PREL_G1", "R_AARCH64_MOVW_PREL_G1_NC",
            "R_AARCH64_MOVW_PREL_G2", "R_AARCH64_MOVW_PREL_G2_NC", "R_AARCH64_MOVW_PREL_G3", null, null, null, null,
            null, "R_AARCH64_LDST128_ABS_LO12_NC", "R_AARCH64_MOVW_GOTOFF_G0", "R_AARCH64_MOVW_GOTOFF_G0_NC",
            "R_AARCH64_MOVW_GOTOFF_G1", "R_AARCH64_MOVW_GOTOFF_G1_NC", "R_AARCH64_MOVW_GOTOFF_G2",
            "R_AARCH64_MOVW_GOTOFF_G2_NC", "R_AARCH64_MOVW_GOTOFF_G3", "R_AARCH64_GOTREL64", "R_AARCH64_GOTREL32",
            "R_AARCH64_GOT_LD_PREL19", "R_AARCH64_LD64_GOTOFF_LO15", "R_AARCH64_ADR_GOT_PAGE",
            "R_AARCH64_LD64_GOT_LO12_NC", "R_AARCH64_LD64_GOTPAGE_LO15", null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, "R_AARCH64_TLSGD_ADR_PREL21", "R_AARCH64_TLSGD_ADR_PAGE21",
            "R_AARCH64_TLSGD_ADD_LO12_NC", "R_AARCH64_TLSGD_MOVW_G1", "R_AARCH64_TLSGD_MOVW_G0_NC",
            "R_AARCH64_TLSLD_ADR_PREL21", "R_AARCH64_TLSLD_ADR_PAGE21", "R_AARCH64_TLSLD_ADD_LO12_NC",
            "R_AARCH64_TLSLD_MOVW_G1", "R_AARCH64_TLSLD_MOVW_G0_NC", "R_AARCH64_TLSLD_LD_PREL19",
            "R_AARCH64_TLSLD_MOVW_DTPREL_G2", "R_AARCH64_TLSLD_MOVW_DTPREL_G1", "R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC",
            "R_AARCH64_TLSLD_MOVW_DTPREL_G0", "R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC",
            "R_AARCH64_TLSLD_ADD_DTPREL_HI12", "R_AARCH64_TLSLD_ADD_DTPREL_LO12",
            "R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC", "R_AARCH64_TLSLD_LDST8_DTPREL_LO12",
            "R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC", "R_AARCH64_TLSLD_LDST16_DTPREL_LO12",
            "R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC", "R_AARCH64_TLSLD_LDST32_DTPREL_LO12",
            "R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC", "R_AARCH64_TLSLD_LDST64_DTPREL_LO12",
            "R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC", "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1",
            "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC", "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21",
            "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC", "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19",
            "R_AARCH64_TLSLE_MOVW_TPREL_G2", "R_AARCH64_TLSLE_MOVW_TPREL_G1", "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC",
            "R_AARCH64_TLSLE_MOVW_TPREL_G0", "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC", "R_AARCH64_TLSLE_ADD_TPREL_HI12",
            "R_AARCH64_TLSLE_ADD_TPREL_LO12", "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC",
            "R_AARCH64_TLSLE_LDST8_TPREL_LO12", "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC",
            "R_AARCH64_TLSLE_LDST16_TPREL_LO12", "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC",
            "R_AARCH64_TLSLE_LDST32_TPREL_LO12", "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC",
            "R_AARCH64_TLSLE_LDST64_TPREL_LO12", "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC",
            "R_AARCH64_TLSDESC_LD_PREL19", "R_AARCH64_TLSDESC_ADR_PREL21", "R_AARCH64_TLSDESC_ADR_PAGE21",
            "R_AARCH64_TLSDESC_LD64_LO12", "R_AARCH64_TLSDESC_ADD_LO12", "R_AARCH64_TLSDESC_OFF_G1",
            "R_AARCH64_TLSDESC_OFF_G0_NC", "R_AARCH64_TLSDESC_LDR", "R_AARCH64_TLSDESC_ADD",
            "R_AARCH64_TLSDESC_CALL", "R_AARCH64_TLSLE_LDST128_TPREL_LO12", "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC",
            "R_AARCH64_TLSLD_LDST128_DTPREL_LO12", "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC", null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, "R_AARCH64_COPY", "R_AARCH64_GLOB_DAT", "R_AARCH64_JUMP_SLOT",
            "R_AARCH64_RELATIVE", "R_AARCH64_TLS_DTPMOD", "R_AARCH64_TLS_DTPREL", "R_AARCH64_TLS_TPREL",
            "R_AARCH64_TLSDESC", "R_AARCH64_IRELATIVE",
    };

    private static final String[] PPC64 = {
            "R_PPC64_NONE", "R_PPC64_ADDR32", "R_PPC64_ADDR24", "R_PPC64_ADDR16", "R_PPC64_ADDR16_LO",
            "R_PPC64_ADDR16_HI", "R_PPC64_ADDR16_HA", "R_PPC64_ADDR14", "R_PPC64_ADDR14_BRTAKEN",
            "R_PPC64_ADDR14_BRNTAKEN", "R_PPC64_REL24", "R_PPC64_REL14", "R_PPC64_REL14_BRTAKEN",
            "R_PPC64_REL14_BRNTAKEN", "R_PPC64_GOT16", "R_PPC64_GOT16_LO", "R_PPC64_GOT16_HI", "R_PPC64_GOT16_HA",
            null, "R_PPC64_COPY", "R_PPC64_GLOB_DAT", "R_PPC64_JMP_SLOT", "R_PPC64_RELATIVE", null,
            "R_PPC64_UADDR32", "R_PPC64_UADDR16", "R_PPC64_REL32", "R_PPC64_PLT32", "R_PPC64_PLTREL32",
            "R_PPC64_PLT16_LO", "R_PPC64_PLT16_HI", "R_PPC64_PLT16_HA", null, "R_PPC64_SECTOFF",
            "R_PPC64_SECTOFF_LO", "R_PPC64_SECTOFF_HI", "R_PPC64_SECTOFF_HA", "R_PPC64_ADDR30", "R_PPC64_ADDR64",
            "R_PPC64_ADDR16_HIGHER", "R_PPC64_ADDR16_HIGHERA", "R_PPC64_ADDR16_HIGHEST", "R_PPC64_ADDR16_HIGHESTA",
            "R_PPC64_UADDR64", "R_PPC64_REL64", "R_PPC64_PLT64", "R_PPC64_PLTREL64", "R_PPC64_TOC16",
            "R_PPC64_TOC16_LO", "R_PPC64_TOC16_HI", "R_PPC64_TOC16_HA", "R_PPC64_TOC", "R_PPC64_PLTGOT16",
            "R_PPC64_PLTGOT16_LO", "R_PPC64_PLTGOT16_HI", "R_PPC64_PLTGOT16_HA", "R_PPC64_ADDR16_DS",
            "R_PPC64_ADDR16_LO_DS", "R_PPC64_GOT16_DS", "R_PPC64_GOT16_LO_DS", "R_PPC64_PLT16_LO_DS",
            "R_PPC64_SECTOFF_DS", "R_PPC64_SECTOFF_LO_DS", "R_PPC64_TOC16_DS", "R_PPC64_TOC16_LO_DS",
            "R_PPC64_PLTGOT16_DS", "R_PPC64_PLTGOT16_LO_DS", "R_PPC64_TLS", "R_PPC64_DTPMOD64", "R_PPC64_TPREL16",
            "R_PPC64_TPREL16_LO", "R_PPC64_TPREL16_HI", "R_PPC64_TPREL16_HA", "R_PPC64_TPREL64", "R_PPC64_DTPREL16",
            "R_PPC64_DTPREL16_LO", "R_PPC64_DTPREL16_HI", "R_PPC64_DTPREL16_HA", "R_PPC64_DTPREL64",
            "R_PPC64_GOT_TLSGD16", "R_PPC64_GOT_TLSGD16_LO", "R_PPC64_GOT_TLSGD16_HI", "R_PPC64_GOT_TLSGD16_HA",
            "R_PPC64_GOT_TLSLD16", "R_PPC64_GOT_TLSLD16_LO", "R_PPC64_GOT_TLSLD16_HI", "R_PPC64_GOT_TLSLD16_HA",
            "R_PPC64_GOT_TPREL16_DS", "R_PPC64_GOT_TPREL16_LO_DS", "R_PPC64_GOT_TPREL16_HI",
            "R_PPC64_GOT_TPREL16_HA", "R_PPC64_GOT_DTPREL16_DS", "R_PPC64_GOT_DTPREL16_LO_DS",
            "R_PPC64_GOT_DTPREL16_HI", "R_PPC64_GOT_DTPREL16_HA", "R_PPC64_TPREL16_DS", "R_PPC64_TPREL16_LO_DS",
            "R_PPC64_TPREL16_HIGHER", "R_PPC64_TPREL16_HIGHERA", "R_PPC64_TPREL16_HIGHEST",
            "R_PPC64_TPREL16_HIGHESTA", "R_PPC64_DTPREL16_DS", "R_PPC64_DTPREL16_LO_DS", "R_PPC64_DTPREL16_HIGHER",
            "R_PPC64_DTPREL16_HIGHERA", "R_PPC64_DTPREL16_HIGHEST", "R_PPC64_DTPREL16_HIGHESTA", "R_PPC64_TLSGD",
            "R_PPC64_TLSLD", "R_PPC64_TOCSAVE", "R_PPC64_ADDR16_HIGH", "R_PPC64_ADDR16_HIGHA",
            "R_PPC64_TPREL16_HIGH", "R_PPC64_TPREL16_HIGHA", "R_PPC64_DTPREL16_HIGH", "R_PPC64_DTPREL16_HIGHA",
            "R_PPC64_REL24_NOTOC", "R_PPC64_ADDR64_LOCAL", "R_PPC64_ENTRY", "R_PPC64_PLTSEQ", "R_PPC64_PLTCALL",
            "R_PPC64_PLTSEQ_NOTOC", "R_PPC64_PLTCALL_NOTOC", "R_PPC64_PCREL_OPT", "R_PPC64_REL24_P9NOTOC", null,
            null, null, "R_PPC64_D34", "R_PPC64_D34_LO", "R_PPC64_D34_HI30", "R_PPC64_D34_HA30", "R_PPC64_PCREL34",
            "R_PPC64_GOT_PCREL34", "R_PPC64_PLT_PCREL34", "R_PPC64_PLT_PCREL34_NOTOC", "R_PPC64_ADDR16_HIGHER34",
            "R_PPC64_ADDR16_HIGHERA34", "R_PPC64_ADDR16_HIGHEST34", "R_PPC64_ADDR16_HIGHESTA34",
            "R_PPC64_REL16_HIGHER34", "R_PPC64_REL16_HIGHERA34", "R_PPC64_REL16_HIGHEST34",
            "R_PPC64_REL16_HIGHESTA34", "R_PPC64_D28", "R_PPC64_PCREL28", "R_PPC64_TPREL34", "R_PPC64_DTPREL34",
            "R_PPC64_GOT_TLSGD_PCREL34", "R_PPC64_GOT_TLSLD_PCREL34", "R_PPC64_GOT_TPREL_PCREL34",
            "R_PPC64_GOT_DTPREL_PCREL34", null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            "R_PPC64_JMP_IREL", "R_PPC64_IRELATIVE", "R_PPC64_REL16", "R_PPC64_REL16_LO", "R_PPC64_REL16_HI",
            "R_PPC64_REL16_HA",
    };

    private static final String[] S390 = {
            "R_390_NONE", "R_390_8", "R_390_12", "R_390_16", "R_390_32", "R_390_PC32", "R_390_GOT12", "R_390_GOT32",
            "R_390_PLT32", "R_390_COPY", "R_390_GLOB_DAT", "R_390_JMP_SLOT", "R_390_RELATIVE", "R_390_GOTOFF32",
            "R_390_GOTPC", "R_390_GOT16", "R_390_PC16", "R_390_PC16DBL", "R_390_PLT16DBL", "R_390_PC32DBL",
            "R_390_PLT32DBL", "R_390_GOTPCDBL", "R_390_64", "R_390_PC64", "R_390_GOT64", "R_390_PLT64",
            "R_390_GOTENT", "R_390_GOTOFF16", "R_390_GOTOFF64", "R_390_GOTPLT12", "R_390_GOTPLT16",
            "R_390_GOTPLT32", "R_390_GOTPLT64", "R_390_GOTPLTENT", "R_390_PLTOFF16", "R_390_PLTOFF32",
            "R_390_PLTOFF64", "R_390_TLS_LOAD", "R_390_TLS_GDCALL", "R_390_TLS_LDCALL", "R_390_TLS_GD32",
            "R_390_TLS_GD64", "R_390_TLS_GOTIE12", "R_390_TLS_GOTIE32", "R_390_TLS_GOTIE64", "R_390_TLS_LDM32",
            "R_390_TLS_LDM64", "R_390_TLS_IE32", "R_390_TLS_IE64", "R_390_TLS_IEENT", "R_390_TLS_LE32",
            "R_390_TLS_LE64", "R_390_TLS_LDO32", "R_390_TLS_LDO64", "R_390_TLS_DTPMOD", "R_390_TLS_DTPOFF",
            "R_390_TLS_TPOFF", "R_390_20", "R_390_GOT20", "R_390_GOTPLT20", "R_390_TLS_GOTIE20", "R_390_IRELATIVE",
    };

    private static final String[] ARM = {
            "R_ARM_NONE", "R_ARM_PC24", "R_ARM_ABS32", "R_ARM_REL32", "R_ARM_PC13", "R_ARM_ABS16", "R_ARM_ABS12",
            "R_ARM_THM_ABS5", "R_ARM_ABS8", "R_ARM_SBREL32", "R_ARM_THM_PC22", "R_ARM_THM_PC8", "R_ARM_AMP_VCALL9",
            "R_ARM_SWI24", "R_ARM_THM_SWI8", "R_ARM_XPC25", "R_ARM_THM_XPC22", "R_ARM_TLS_DTPMOD32",
            "R_ARM_TLS_DTPOFF32", "R_ARM_TLS_TPOFF32", "R_ARM_COPY", "R_ARM_GLOB_DAT", "R_ARM_JUMP_SLOT",
            "R_ARM_RELATIVE", "R_ARM_GOTOFF", "R_ARM_GOTPC", "R_ARM_GOT32", "R_ARM_PLT32", "R_ARM_CALL",
            "R_ARM_JUMP24", "R_ARM_THM_JUMP24", "R_ARM_BASE_ABS", "R_ARM_ALU_PCREL_7_0", "R_ARM_ALU_PCREL_15_8",
            "R_ARM_ALU_PCREL_23_15", "R_ARM_LDR_SBREL_11_0", "R_ARM_ALU_SBREL_19_12", "R_ARM_ALU_SBREL_27_20",
            "R_ARM_TARGET1", "R_ARM_SBREL31", "R_ARM_V4BX", "R_ARM_TARGET2", "R_ARM_PREL31", "R_ARM_MOVW_ABS_NC",
            "R_ARM_MOVT_ABS", "R_ARM_MOVW_PREL_NC", "R_ARM_MOVT_PREL", "R_ARM_THM_MOVW_ABS_NC",
            "R_ARM_THM_MOVT_ABS", "R_ARM_THM_MOVW_PREL_NC", "R_ARM_THM_MOVT_PREL", "R_ARM_THM_JUMP19",
            "R_ARM_THM_JUMP6", "R_ARM_THM_ALU_PREL_11_0", "R_ARM_THM_PC12", "R_ARM_ABS32_NOI", "R_ARM_REL32_NOI",
            "R_ARM_ALU_PC_G0_NC", "R_ARM_ALU_PC_G0", "R_ARM_ALU_PC_G1_NC", "R_ARM_ALU_PC_G1", "R_ARM_ALU_PC_G2",
            "R_ARM_LDR_PC_G1", "R_ARM_LDR_PC_G2", "R_ARM_LDRS_PC_G0", "R_ARM_LDRS_PC_G1", "R_ARM_LDRS_PC_G2",
            "R_ARM_LDC_PC_G0", "R_ARM_LDC_PC_G1", "R_ARM_LDC_PC_G2", "R_ARM_ALU_SB_G0_NC", "R_ARM_ALU_SB_G0",
            "R_ARM_ALU_SB_G1_NC", "R_ARM_ALU_SB_G1", "R_ARM_ALU_SB_G2", "R_ARM_LDR_SB_G0", "R_ARM_LDR_SB_G1",
            "R_ARM_LDR_SB_G2", "R_ARM_LDRS_SB_G0", "R_ARM_LDRS_SB_G1", "R_ARM_LDRS_SB_G2", "R_ARM_LDC_SB_G0",
            "R_ARM_LDC_SB_G1", "R_ARM_LDC_SB_G2", "R_ARM_MOVW_BREL_NC", "R_ARM_MOVT_BREL", "R_ARM_MOVW_BREL",
            "R_ARM_THM_MOVW_BREL_NC", "R_ARM_THM_MOVT_BREL", "R_ARM_THM_MOVW_BREL", "R_ARM_TLS_GOTDESC",
            "R_ARM_TLS_CALL", "R_ARM_TLS_DESCSEQ", "R_ARM_THM_TLS_CALL", "R_ARM_PLT32_ABS", "R_ARM_GOT_ABS",
            "R_ARM_GOT_PREL", "R_ARM_GOT_BREL12", "R_ARM_GOTOFF12", "R_ARM_GOTRELAX", "R_ARM_GNU_VTENTRY",
            "R_ARM_GNU_VTINHERIT", "R_ARM_THM_PC11", "R_ARM_THM_PC9", "R_ARM_TLS_GD32", "R_ARM_TLS_LDM32",
            "R_ARM_TLS_LDO32", "R_ARM_TLS_IE32", "R_ARM_TLS_LE32", "R_ARM_TLS_LDO12", "R_ARM_TLS_LE12",
            "R_ARM_TLS_IE12GP", null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, "R_ARM_ME_TOO", "R_ARM_THM_TLS_DESCSEQ", "R_ARM_THM_TLS_DESCSEQ32", "R_ARM_THM_GOT_BREL12",
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, "R_ARM_IRELATIVE", null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            "R_ARM_RXPC25", "R_ARM_RSBREL32", "R_ARM_THM_RPC22", "R_ARM_RREL32", "R_ARM_RABS22", "R_ARM_RPC24",
            "R_ARM_RBASE",
    };
}
