// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Some records write out equals and hashCode (the generated ones link method handles on their first call, which
 * a one-shot command pays for; docs/benchmarks.md). Written-out methods can forget a component added later:
 * for every such record in the sources, two instances built from equal components are equal with equal hash
 * codes, and changing any one component makes them unequal.
 */
class WrittenOutRecordEqualityTest {
    private static final Path SOURCES = Path.of(System.getProperty("klp.repoRoot", ".."), "server/src/main/java");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(");

    @Test
    void everyComponentTakesPartInEqualsAndHashCode() throws Exception {
        List<Class<?>> records = writtenOut();
        assertTrue(records.size() >= 8, "found only " + records);
        for (Class<?> type : records) {
            RecordComponent[] components = type.getRecordComponents();
            Constructor<?> constructor = type.getDeclaredConstructor(
                    Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = sample(components[i].getType(), false);
            }
            Object first = constructor.newInstance(values);
            Object same = constructor.newInstance(values.clone());
            assertEquals(first, same, type.getName());
            assertEquals(first.hashCode(), same.hashCode(), type.getName());
            assertFalse(first.equals(null), type.getName());
            for (int i = 0; i < components.length; i++) {
                Object[] changed = values.clone();
                changed[i] = sample(components[i].getType(), true);
                assertNotEquals(first, constructor.newInstance(changed),
                        type.getName() + "." + components[i].getName() + " is left out of equals");
            }
        }
    }

    /** The records whose source declares equals(Object). */
    private static List<Class<?>> writtenOut() throws IOException, ClassNotFoundException {
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher record = RECORD.matcher(text);
                if (record.find() && text.contains("public boolean equals(Object other)")
                        && text.indexOf("public boolean equals(Object other)") > record.start()) {
                    String name = SOURCES.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                    Class<?> outer = Class.forName(name);
                    found.add(outer.isRecord() ? outer : nested(outer, record.group(1)));
                }
            }
        }
        return found;
    }

    private static Class<?> nested(Class<?> outer, String simpleName) {
        for (Class<?> inner : outer.getDeclaredClasses()) {
            if (inner.getSimpleName().equals(simpleName) && inner.isRecord()) {
                return inner;
            }
        }
        throw new AssertionError("no record " + simpleName + " in " + outer.getName());
    }

    /** A value of {@code type}; {@code other} gives a different one. */
    private static Object sample(Class<?> type, boolean other) {
        if (type == String.class) {
            return other ? "b" : "a";
        }
        if (type == int.class) {
            return other ? 2 : 1;
        }
        if (type == long.class) {
            return other ? 2L : 1L;
        }
        if (type == boolean.class) {
            return other;
        }
        if (type == char.class) {
            return other ? 'b' : 'a';
        }
        if (type == Optional.class) {
            return other ? Optional.of("b") : Optional.empty();
        }
        if (type == List.class) {
            return other ? List.of("b") : List.of();
        }
        if (type == Path.class) {
            return Path.of(other ? "b" : "a");
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[other ? 1 : 0];
        }
        throw new AssertionError("no sample value for " + type.getName() + ": add one here");
    }
}
