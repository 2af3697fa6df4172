// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the compiler made of one source function in one kernel object, from the object's debug information.
 * A function is its name and declaration: a static function of a header is one function across every unit
 * that copied it; two static functions of one name in two files are two.
 *
 * @param object      "vmlinux" or the module name
 * @param name        the source name
 * @param declaration where it is declared, when DWARF says
 * @param instances   its out-of-line copies (the original and compiler clones), by address
 * @param inlineSites every inlined copy of its body, by call file and line
 */
public record FunctionFacts(String object, String name, Optional<SourceLine> declaration,
        List<OutOfLineInstance> instances, List<InlineSite> inlineSites) {

    /** Inlined somewhere and never out of line: there is no symbol to replace. */
    public boolean existsOnlyInlined() {
        return instances.isEmpty() && !inlineSites.isEmpty();
    }

    /** The copies whose symbol is a compiler clone ({@code foo.isra.0}...). */
    public List<OutOfLineInstance> clones() {
        return instances.stream().filter(OutOfLineInstance::isClone).toList();
    }

    /** The inline sites in other functions' code (those that keep old code when only this one is replaced). */
    public List<InlineSite> sitesInOtherFunctions() {
        return inlineSites.stream().filter(site -> !site.insideOwnCopy()).toList();
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof FunctionFacts that && Objects.equals(object, that.object)
                && Objects.equals(name, that.name) && Objects.equals(declaration, that.declaration)
                && Objects.equals(instances, that.instances) && Objects.equals(inlineSites, that.inlineSites);
    }

    @Override
    public int hashCode() {
        return Objects.hash(object, name, declaration, instances, inlineSites);
    }
}
