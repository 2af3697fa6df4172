// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

/** One relocation entry ({@code Elf64_Rela}, {@code Elf64_Rel} and the 32-bit forms). */
public final class Relocation {
    private long offset;
    private int type;
    private Symbol symbol;
    private long addend;
    /** Where {@link SymbolTable#indexOfSymbol} last found the symbol (r_sym as read); checked before use. */
    int symbolIndexHint = -1;

    /** {@code symbol} null means r_sym 0; {@code addend} is ignored in SHT_REL sections. */
    public Relocation(long offset, int type, Symbol symbol, long addend) {
        this.offset = offset;
        this.type = type;
        this.symbol = symbol;
        this.addend = addend;
    }

    /** r_offset. */
    public long offset() {
        return offset;
    }

    public void setOffset(long offset) {
        this.offset = offset;
    }

    /** ELF64_R_TYPE(r_info). */
    public int type() {
        return type;
    }

    public void setType(int type) {
        this.type = type;
    }

    /** The symbol of r_sym, or null for r_sym 0. */
    public Symbol symbol() {
        return symbol;
    }

    public void setSymbol(Symbol symbol) {
        this.symbol = symbol;
        this.symbolIndexHint = -1;
    }

    /** r_addend (0 for SHT_REL entries, whose addend is in the section contents). */
    public long addend() {
        return addend;
    }

    public void setAddend(long addend) {
        this.addend = addend;
    }

    @Override
    public String toString() {
        return String.format("0x%x type %d %s%+d", offset, type, symbol == null ? "0" : symbol.displayName(), addend);
    }
}
