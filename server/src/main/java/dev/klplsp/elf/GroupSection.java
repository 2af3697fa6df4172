// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * A SHT_GROUP section (COMDAT group): a flag word followed by member section indices; sh_link is the
 * symbol table and sh_info the signature symbol. Members and signature are references, re-indexed on write.
 */
public final class GroupSection extends Section {
    private int groupFlags;
    private final List<Section> members = new ArrayList<>();
    private Symbol signature;

    GroupSection(String name, long flags, long addralign, long entsize) {
        super(name, Elf.SHT_GROUP, flags, addralign, entsize);
    }

    /** The first word: GRP_COMDAT or 0. */
    public int groupFlags() {
        return groupFlags;
    }

    public void setGroupFlags(int groupFlags) {
        this.groupFlags = groupFlags;
    }

    /** The member sections, in order; mutable. */
    public List<Section> members() {
        return members;
    }

    /** The signature symbol (sh_info). */
    public Symbol signature() {
        return signature;
    }

    public void setSignature(Symbol signature) {
        this.signature = signature;
    }

    public SymbolTable symbols() {
        return (SymbolTable) link();
    }

    /** sh_size of the encoded entries (the contents are encoded by the writer). */
    @Override
    public long size() {
        return 4L * (1 + members.size());
    }
}
