// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FixturesTest {
    @Test
    void buildsAModuleWithModinfoFromCSources() {
        Path module = Fixtures.module("hello");
        assertTrue(Files.isRegularFile(module));
        String sections = Processes.run("readelf", "-SW", module.toString());
        assertTrue(sections.contains(".modinfo"), sections);
        String modinfo = Processes.run("readelf", "-p", ".modinfo", module.toString());
        assertTrue(modinfo.contains("livepatch=Y"), modinfo);
    }
}
