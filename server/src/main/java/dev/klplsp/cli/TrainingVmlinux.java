// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.elf.Elf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The CDS training's debug vmlinux (Debian's {@code usr/lib/debug/boot/vmlinux-<release>}): an x86-64 ET_EXEC
 * whose symbol table is the training kernel's, with DWARF 4 of one compile unit, so the training reads debug
 * information as a typical conversion does (the symbol index from this file, the optimization index built from
 * its DWARF, then loaded from the cache). The DWARF describes, in {@code kernel/livepatch/klp_training.c}:
 * <ul>
 * <li>{@code klp_training_func(x, flags)} out of line as written, with {@code klp_training_helper} (declared in
 * {@code klp_training.h}) inlined into it, and a compiler clone {@code klp_training_func.isra.0} that dropped
 * {@code flags};</li>
 * <li>{@code klp_training_plain} out of line as written, without clones;</li>
 * <li>nothing for {@code klp_training_asm} (assembly) and {@code _printk}.</li>
 * </ul>
 * Every reference points back, so DIE offsets are known when they are needed.
 */
final class TrainingVmlinux {
    static final long TEXT = 0xffffffff81000000L;
    static final long DATA = 0xffffffff81001000L;
    /** Functions in .text, 16 bytes each, in this order; the clone is local to its file, the others global. */
    static final List<String> FUNCTIONS = List.of("_printk", "klp_training_func", "klp_training_func.isra.0",
            "klp_training_plain", "klp_training_asm");
    static final String CLONE = "klp_training_func.isra.0";
    static final String SOURCE = "klp_training.c";
    static final String HEADER = "klp_training.h";
    static final String DIRECTORY = "kernel/livepatch";
    /** Declaration lines, in {@link #SOURCE} but for the helper (in {@link #HEADER}). */
    static final int FUNC_LINE = 12;
    static final int HELPER_LINE = 5;
    static final int CALL_LINE = 14;
    static final int PLAIN_LINE = 30;

    private static final int DW_TAG_formal_parameter = 0x05;
    private static final int DW_TAG_compile_unit = 0x11;
    private static final int DW_TAG_inlined_subroutine = 0x1d;
    private static final int DW_TAG_subprogram = 0x2e;
    private static final int DW_AT_name = 0x03;
    private static final int DW_AT_stmt_list = 0x10;
    private static final int DW_AT_low_pc = 0x11;
    private static final int DW_AT_high_pc = 0x12;
    private static final int DW_AT_language = 0x13;
    private static final int DW_AT_comp_dir = 0x1b;
    private static final int DW_AT_inline = 0x20;
    private static final int DW_AT_producer = 0x25;
    private static final int DW_AT_abstract_origin = 0x31;
    private static final int DW_AT_decl_file = 0x3a;
    private static final int DW_AT_decl_line = 0x3b;
    private static final int DW_AT_external = 0x3f;
    private static final int DW_AT_call_file = 0x58;
    private static final int DW_AT_call_line = 0x59;
    private static final int DW_FORM_addr = 0x01;
    private static final int DW_FORM_data1 = 0x0b;
    private static final int DW_FORM_data8 = 0x07;
    private static final int DW_FORM_string = 0x08;
    private static final int DW_FORM_ref4 = 0x13;
    private static final int DW_FORM_sec_offset = 0x17;
    private static final int DW_FORM_flag_present = 0x19;
    private static final int DW_LANG_C99 = 0x0c;
    private static final int DW_INL_declared_inlined = 3;

    // Abbreviation codes, one per shape of DIE below.
    private static final int UNIT = 1;
    private static final int ABSTRACT_FUNCTION = 2;
    private static final int ABSTRACT_PARAMETER = 3;
    private static final int CONCRETE_FUNCTION = 4;
    private static final int CONCRETE_PARAMETER = 5;
    private static final int INLINED_CALL = 6;
    private static final int INLINE_FUNCTION = 7;
    private static final int PLAIN_FUNCTION = 8;

    private TrainingVmlinux() {
    }

    static byte[] image() {
        TrainingElf elf = new TrainingElf();
        byte[] text = new byte[16 * FUNCTIONS.size()];
        Arrays.fill(text, (byte) 0xc3);
        int textSection = elf.section(".text", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR, TEXT, 0, 0, 16,
                0, text);
        int dataSection = elf.section(".data", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE, DATA, 0, 0, 8, 0,
                new byte[16]);
        elf.section(".debug_info", Elf.SHT_PROGBITS, 0, 0, 0, 0, 1, 0, info());
        elf.section(".debug_abbrev", Elf.SHT_PROGBITS, 0, 0, 0, 0, 1, 0, abbreviations());
        elf.section(".debug_line", Elf.SHT_PROGBITS, 0, 0, 0, 0, 1, 0, lineTable());
        // As the linker lays them out: each file's locals, then the globals. klp_training_data is static in two
        // files (sympos 1 and 2); the clone is local to its file.
        TrainingElf.Symbols symbols = new TrainingElf.Symbols();
        symbols.add(SOURCE, Elf.STB_LOCAL, Elf.STT_FILE, Elf.SHN_ABS, 0, 0);
        symbols.add(CLONE, Elf.STB_LOCAL, Elf.STT_FUNC, textSection, address(CLONE), 16);
        symbols.add("klp_training_data", Elf.STB_LOCAL, Elf.STT_OBJECT, dataSection, DATA, 4);
        symbols.add("klp_training_other.c", Elf.STB_LOCAL, Elf.STT_FILE, Elf.SHN_ABS, 0, 0);
        symbols.add("klp_training_data", Elf.STB_LOCAL, Elf.STT_OBJECT, dataSection, DATA + 8, 4);
        for (String function : FUNCTIONS) {
            if (!function.equals(CLONE)) {
                symbols.add(function, Elf.STB_GLOBAL, Elf.STT_FUNC, textSection, address(function), 16);
            }
        }
        symbols.addTo(elf);
        return elf.write(Elf.ET_EXEC);
    }

    private static long address(String function) {
        return TEXT + 16L * FUNCTIONS.indexOf(function);
    }

    /** {@code .debug_abbrev}: one table, in the order of the codes. */
    private static byte[] abbreviations() {
        Dwarf out = new Dwarf(512);
        out.abbreviation(UNIT, DW_TAG_compile_unit, true, DW_AT_producer, DW_FORM_string, DW_AT_language,
                DW_FORM_data1, DW_AT_name, DW_FORM_string, DW_AT_comp_dir, DW_FORM_string, DW_AT_low_pc, DW_FORM_addr,
                DW_AT_high_pc, DW_FORM_data8, DW_AT_stmt_list, DW_FORM_sec_offset);
        out.abbreviation(ABSTRACT_FUNCTION, DW_TAG_subprogram, true, DW_AT_external, DW_FORM_flag_present,
                DW_AT_name, DW_FORM_string, DW_AT_decl_file, DW_FORM_data1, DW_AT_decl_line, DW_FORM_data1);
        out.abbreviation(ABSTRACT_PARAMETER, DW_TAG_formal_parameter, false, DW_AT_name, DW_FORM_string,
                DW_AT_decl_file, DW_FORM_data1, DW_AT_decl_line, DW_FORM_data1);
        out.abbreviation(CONCRETE_FUNCTION, DW_TAG_subprogram, true, DW_AT_abstract_origin, DW_FORM_ref4,
                DW_AT_low_pc, DW_FORM_addr, DW_AT_high_pc, DW_FORM_data8);
        out.abbreviation(CONCRETE_PARAMETER, DW_TAG_formal_parameter, false, DW_AT_abstract_origin, DW_FORM_ref4);
        out.abbreviation(INLINED_CALL, DW_TAG_inlined_subroutine, false, DW_AT_abstract_origin, DW_FORM_ref4,
                DW_AT_low_pc, DW_FORM_addr, DW_AT_high_pc, DW_FORM_data8, DW_AT_call_file, DW_FORM_data1,
                DW_AT_call_line, DW_FORM_data1);
        out.abbreviation(INLINE_FUNCTION, DW_TAG_subprogram, false, DW_AT_name, DW_FORM_string, DW_AT_decl_file,
                DW_FORM_data1, DW_AT_decl_line, DW_FORM_data1, DW_AT_inline, DW_FORM_data1);
        out.abbreviation(PLAIN_FUNCTION, DW_TAG_subprogram, false, DW_AT_external, DW_FORM_flag_present,
                DW_AT_name, DW_FORM_string, DW_AT_decl_file, DW_FORM_data1, DW_AT_decl_line, DW_FORM_data1,
                DW_AT_low_pc, DW_FORM_addr, DW_AT_high_pc, DW_FORM_data8);
        out.u8(0);
        return out.bytes();
    }

    /** {@code .debug_info}: one DWARF 4 compile unit; file 1 is {@link #SOURCE}, file 2 {@link #HEADER}. */
    private static byte[] info() {
        Dwarf out = new Dwarf(1024);
        out.u32(0); // unit_length, set below
        out.u16(4).u32(0).u8(8); // version, debug_abbrev_offset, address_size
        out.uleb(UNIT).string("GNU C11 12.2.0 -mfentry -O2").u8(DW_LANG_C99).string(DIRECTORY + "/" + SOURCE)
                .string("debian/build/build_amd64_none_amd64").u64(TEXT).u64(16L * FUNCTIONS.size()).u32(0);
        int helper = out.position();
        out.uleb(INLINE_FUNCTION).string("klp_training_helper").u8(2).u8(HELPER_LINE).u8(DW_INL_declared_inlined);
        int function = out.position();
        out.uleb(ABSTRACT_FUNCTION).string("klp_training_func").u8(1).u8(FUNC_LINE);
        int x = out.position();
        out.uleb(ABSTRACT_PARAMETER).string("x").u8(1).u8(FUNC_LINE);
        int flags = out.position();
        out.uleb(ABSTRACT_PARAMETER).string("flags").u8(1).u8(FUNC_LINE);
        out.u8(0);
        // The function as written: both parameters, the helper inlined at line 14.
        out.uleb(CONCRETE_FUNCTION).u32(function).u64(address("klp_training_func")).u64(16);
        out.uleb(CONCRETE_PARAMETER).u32(x);
        out.uleb(CONCRETE_PARAMETER).u32(flags);
        out.uleb(INLINED_CALL).u32(helper).u64(address("klp_training_func") + 4).u64(4).u8(1).u8(CALL_LINE);
        out.u8(0);
        // The IPA-SRA clone: 'flags' is not listed, so it was dropped.
        out.uleb(CONCRETE_FUNCTION).u32(function).u64(address(CLONE)).u64(16);
        out.uleb(CONCRETE_PARAMETER).u32(x);
        out.u8(0);
        out.uleb(PLAIN_FUNCTION).string("klp_training_plain").u8(1).u8(PLAIN_LINE).u64(address("klp_training_plain"))
                .u64(16);
        out.u8(0);
        return out.withLength();
    }

    /**
     * {@code .debug_line}: a version 4 header with the file names DW_AT_decl_file and DW_AT_call_file index, and
     * a program of one sequence over .text.
     */
    private static byte[] lineTable() {
        Dwarf out = new Dwarf(256);
        out.u32(0).u16(4); // unit_length (set below), version
        int headerLength = out.position();
        out.u32(0); // header_length, set below
        // minimum_instruction_length, maximum_operations_per_instruction, default_is_stmt, line_base, line_range,
        // opcode_base, standard_opcode_lengths
        out.u8(1).u8(1).u8(1).u8(-5).u8(14).u8(13);
        for (int length : new int[] {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}) {
            out.u8(length);
        }
        out.string(DIRECTORY).u8(0); // include_directories
        out.string(SOURCE).uleb(1).uleb(0).uleb(0).string(HEADER).uleb(1).uleb(0).uleb(0).u8(0); // file_names
        out.patch32(headerLength, out.position() - headerLength - 4);
        // DW_LNE_set_address, DW_LNS_copy, DW_LNS_advance_pc, DW_LNE_end_sequence
        out.u8(0).uleb(9).u8(2).u64(TEXT).u8(1).u8(2).uleb(16L * FUNCTIONS.size()).u8(0).uleb(1).u8(1);
        return out.withLength();
    }

    /** Little-endian DWARF encoding into a buffer of fixed capacity. */
    private static final class Dwarf {
        private final ByteBuffer out;

        Dwarf(int capacity) {
            out = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }

        int position() {
            return out.position();
        }

        Dwarf u8(int value) {
            out.put((byte) value);
            return this;
        }

        Dwarf u16(int value) {
            out.putShort((short) value);
            return this;
        }

        Dwarf u32(int value) {
            out.putInt(value);
            return this;
        }

        Dwarf u64(long value) {
            out.putLong(value);
            return this;
        }

        Dwarf uleb(long value) {
            do {
                int low = (int) (value & 0x7f);
                value >>>= 7;
                out.put((byte) (value != 0 ? low | 0x80 : low));
            } while (value != 0);
            return this;
        }

        /** A NUL-terminated string (DW_FORM_string, the line table's names). */
        Dwarf string(String value) {
            out.put(value.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
            return this;
        }

        /** An abbreviation: code, tag, whether it has children, (attribute, form) pairs, the closing (0, 0). */
        void abbreviation(int code, int tag, boolean children, int... attributesAndForms) {
            uleb(code).uleb(tag).u8(children ? 1 : 0);
            for (int value : attributesAndForms) {
                uleb(value);
            }
            uleb(0).uleb(0);
        }

        void patch32(int at, int value) {
            out.putInt(at, value);
        }

        /** The bytes written, with the leading 32-bit unit length set to what follows it. */
        byte[] withLength() {
            patch32(0, out.position() - 4);
            return Arrays.copyOf(out.array(), out.position());
        }

        byte[] bytes() {
            return Arrays.copyOf(out.array(), out.position());
        }
    }
}
