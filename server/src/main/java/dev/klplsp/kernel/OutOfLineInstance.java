// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.dwarf.ParameterChange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One out-of-line copy of a source function in an object's code, tied to the symbol that starts it.
 *
 * @param function                 the source function's name (DWARF DW_AT_name)
 * @param symbol                   the ELF symbol at the copy's entry ({@code foo}, {@code foo.isra.0}); "" when
 *                                 the copy has none (code the linker discarded, e.g. an exit function built in)
 * @param sympos                   the symbol's position as the kernel counts it ({@link Sympos}): 0 unique, N the
 *                                 N-th of its name, -1 when no sympos reaches it (no symbol, or a module init
 *                                 symbol)
 * @param address                  vmlinux: the link-time address; module: the offset in {@code section}
 * @param section                  the ELF section of the code
 * @param unit                     the compilation unit's primary source file
 * @param producer                 the unit's DW_AT_producer (compiler and flags, e.g. whether
 *                                 {@code -fno-ipa-ra} was given)
 * @param parameterChanges         parameters of the source function this copy changed (compiler clones)
 * @param coldParts                symbols of split-off parts of this copy's code ({@code foo.cold})
 * @param callingConventionChanged DW_AT_calling_convention DW_CC_nocall: the compiler changed how it is called
 */
public record OutOfLineInstance(String function, String symbol, int sympos, long address, Optional<String> section,
        String unit, String producer, List<ParameterChange> parameterChanges, List<String> coldParts,
        boolean callingConventionChanged) {

    public boolean hasSymbol() {
        return !symbol.isEmpty();
    }

    /**
     * A compiler clone: the symbol is the function's name with gcc's suffixes ({@code foo.isra.0},
     * {@code foo.constprop.0}, {@code foo.part.0}), so callers of {@code foo} in the same unit may call it
     * instead of {@code foo}.
     */
    public boolean isClone() {
        return symbol.length() > function.length() + 1 && symbol.startsWith(function)
                && symbol.charAt(function.length()) == '.';
    }

    /** Whether code calling this copy does not follow the function's source signature. */
    public boolean isTransformed() {
        return isClone() || !parameterChanges.isEmpty() || callingConventionChanged;
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof OutOfLineInstance that && sympos == that.sympos && address == that.address
                && callingConventionChanged == that.callingConventionChanged
                && Objects.equals(function, that.function) && Objects.equals(symbol, that.symbol)
                && Objects.equals(section, that.section) && Objects.equals(unit, that.unit)
                && Objects.equals(producer, that.producer) && Objects.equals(parameterChanges, that.parameterChanges)
                && Objects.equals(coldParts, that.coldParts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(function, symbol, sympos, address, section, unit, producer, parameterChanges,
                coldParts, callingConventionChanged);
    }
}
