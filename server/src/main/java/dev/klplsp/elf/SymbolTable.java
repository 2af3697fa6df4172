// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * The SHT_SYMTAB section. Entry 0 is the null symbol. Locals come before the first non-local, whose
 * index is sh_info; {@link #add} and {@link #addLocal} keep that order, and the writer restores it
 * (stable, locals first) after a binding change.
 */
public final class SymbolTable extends Section {
    private final List<Symbol> symbols = new ArrayList<>();

    SymbolTable(String name, long flags, long addralign, long entsize) {
        super(name, Elf.SHT_SYMTAB, flags, addralign, entsize);
    }

    /** The symbols in table order (index 0 is the null symbol). Mutable, but prefer add/remove. */
    public List<Symbol> symbols() {
        return symbols;
    }

    public Symbol symbol(int index) {
        return symbols.get(index);
    }

    /**
     * The index of a symbol (by identity), or -1 when it is not in this table. O(1) for a symbol that is in the
     * table: each symbol remembers where it was last found, and when that is stale (the table changed) one pass
     * over the table records every symbol's place again. A conversion asks this for every relocation, so a hash
     * map from symbol to index would put a random memory access per relocation (and a boxed index per symbol) in
     * its hottest loop. A symbol belongs to one table; asking about one that is not in this table costs a pass.
     */
    public int indexOf(Symbol symbol) {
        int hint = symbol.indexHint;
        if (hint >= 0 && hint < symbols.size() && symbols.get(hint) == symbol) {
            return hint;
        }
        for (int i = 0; i < symbols.size(); i++) {
            symbols.get(i).indexHint = i;
        }
        hint = symbol.indexHint;
        return hint >= 0 && hint < symbols.size() && symbols.get(hint) == symbol ? hint : -1;
    }

    /**
     * {@code indexOf(relocation.symbol())}, or -1 for r_sym 0, without reading the symbol itself: the relocation
     * remembers where its symbol was (r_sym as read), checked against the table like {@link #indexOf}'s hint. The
     * checker, the converter and the writer ask this for every relocation, in relocation order, which is not the
     * symbols' order: following each relocation to its symbol object would be a cache miss per relocation.
     */
    public int indexOfSymbol(Relocation relocation) {
        Symbol symbol = relocation.symbol();
        if (symbol == null) {
            return -1;
        }
        int hint = relocation.symbolIndexHint;
        if (hint >= 0 && hint < symbols.size() && symbols.get(hint) == symbol) {
            return hint;
        }
        int index = indexOf(symbol);
        relocation.symbolIndexHint = index;
        return index;
    }

    /**
     * Adds a symbol: a local one after the last local, any other one at the end. Returns it.
     */
    public Symbol add(Symbol symbol) {
        if (symbol.isLocal()) {
            return addLocal(symbol);
        }
        symbols.add(symbol);
        return symbol;
    }

    /** Adds a local symbol after the last local one. */
    public Symbol addLocal(Symbol symbol) {
        if (!symbol.isLocal()) {
            throw new IllegalArgumentException(symbol.name() + " is not STB_LOCAL");
        }
        symbols.add(firstNonLocal(), symbol);
        return symbol;
    }

    /** Removes a symbol (the caller must first drop relocations and groups that use it). */
    public boolean remove(Symbol symbol) {
        int index = indexOf(symbol);
        if (index <= 0) {
            return false;
        }
        symbols.remove(index);
        return true;
    }

    /** The index of the first non-local symbol (sh_info), or the count when all are local. */
    public int firstNonLocal() {
        for (int i = 1; i < symbols.size(); i++) {
            if (!symbols.get(i).isLocal()) {
                return i;
            }
        }
        return Math.max(1, symbols.size());
    }

    /** Moves locals before non-locals, keeping relative order; a no-op when already ordered. */
    public void sortLocalsFirst() {
        if (symbols.isEmpty() || isLocalsFirst()) {
            return;
        }
        List<Symbol> locals = new ArrayList<>();
        List<Symbol> others = new ArrayList<>();
        for (int i = 1; i < symbols.size(); i++) {
            Symbol symbol = symbols.get(i);
            (symbol.isLocal() ? locals : others).add(symbol);
        }
        Symbol first = symbols.get(0);
        symbols.clear();
        symbols.add(first);
        symbols.addAll(locals);
        symbols.addAll(others);
    }

    private boolean isLocalsFirst() {
        boolean nonLocalSeen = false;
        for (int i = 1; i < symbols.size(); i++) {
            if (!symbols.get(i).isLocal()) {
                nonLocalSeen = true;
            } else if (nonLocalSeen) {
                return false;
            }
        }
        return true;
    }

    /** The string table of the symbol names (sh_link). */
    public StringTable strings() {
        return (StringTable) link();
    }

    /** The first symbol with this name, if any. */
    public java.util.Optional<Symbol> findSymbol(String name) {
        for (Symbol symbol : symbols) {
            if (symbol.name().equals(name)) {
                return java.util.Optional.of(symbol);
            }
        }
        return java.util.Optional.empty();
    }

    /** sh_size of the encoded entries (the contents are encoded by the writer). */
    @Override
    public long size() {
        return (long) symbols.size() * entsize();
    }
}
