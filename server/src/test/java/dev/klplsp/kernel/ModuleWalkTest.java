// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.klplsp.cli.ExitCodes;
import dev.klplsp.testing.Processes;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The walk of a modules directory that lists a kernel's modules and checks its cached index: the strict walk and
 * the quick one (which confirms a cache) must give the same modules, in the same order, with the same identities.
 */
class ModuleWalkTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "quick: {0}")
    @ValueSource(booleans = {false, true})
    void modulesComeInTheOrderOfTheirWholePathStringsWithoutFollowingSymlinks(boolean quick) throws Exception {
        // Names where the order of whole paths differs from a walk that sorts names alone:
        // "a-b/..." < "a.ko" < "a/..." as strings ('-' < '.' < '/'), but "a" < "a-b" < "a.ko" as names.
        List<String> modules = List.of("a/x.ko", "a/sub/z.ko.xz", "a-b/y.ko.zst", "a.ko", "b.ko.gz", "ab/c.ko");
        for (String module : modules) {
            Files.createDirectories(tmp.resolve(module).getParent());
            Files.writeString(tmp.resolve(module), module);
        }
        Files.writeString(tmp.resolve("modules.dep"), "not a module");
        Files.writeString(tmp.resolve("a/readme.txt"), "not a module");
        Files.createDirectories(tmp.resolve("empty"));
        Files.createSymbolicLink(tmp.resolve("build"), tmp.resolve("a"));
        Files.createSymbolicLink(tmp.resolve("link.ko"), tmp.resolve("a.ko"));

        List<Path> files = new ArrayList<>();
        List<KernelIndexLoader.InputIdentity> identities = new ArrayList<>();
        KernelIndexLoader.walkModules(tmp, files, identities, quick);

        List<String> expected = modules.stream().map(module -> tmp.resolve(module).toString()).sorted().toList();
        assertEquals(expected, files.stream().map(Path::toString).toList());
        assertEquals(expected, identities.stream().map(KernelIndexLoader.InputIdentity::path).toList());
        for (KernelIndexLoader.InputIdentity identity : identities) {
            Path file = Path.of(identity.path());
            assertEquals(Files.size(file), identity.size(), identity.path());
            assertEquals(Files.getLastModifiedTime(file).toMillis(), identity.mtimeMillis(), identity.path());
        }
    }

    @ParameterizedTest(name = "quick: {0}")
    @ValueSource(booleans = {false, true})
    void aModulesDirectoryGivenAsASymlinkIsFollowed(boolean quick) throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real/kernel"));
        Files.writeString(real.resolve("m.ko"), "m");
        Path link = Files.createSymbolicLink(tmp.resolve("modules"), tmp.resolve("real"));
        List<Path> files = new ArrayList<>();
        KernelIndexLoader.walkModules(link, files, new ArrayList<>(), quick);
        assertEquals(List.of(link.resolve("kernel/m.ko")), files);
    }

    @ParameterizedTest(name = "quick: {0}")
    @ValueSource(booleans = {false, true})
    void aTreeAsDeepAsPathsAllowDoesNotExhaustTheStack(boolean quick) throws Exception {
        // 800 levels in a thread with a 256 KB stack: a recursive walk (~470 bytes a level) overflowed at ~550.
        StringBuilder relative = new StringBuilder();
        for (int level = 0; level < 800; level++) {
            relative.append("d/");
        }
        Path deep = Files.createDirectories(tmp.resolve(relative.toString()));
        Files.writeString(deep.resolve("deep.ko"), "deep");
        Files.writeString(tmp.resolve("top.ko"), "top");
        List<Path> files = new ArrayList<>();
        Thread walker = new Thread(null, () -> KernelIndexLoader.walkModules(tmp, files, new ArrayList<>(), quick),
                "small-stack", 256 * 1024);
        walker.start();
        walker.join();
        assertEquals(List.of(deep.resolve("deep.ko"), tmp.resolve("top.ko")), files);
    }

    /**
     * A name the JVM's file name encoding cannot decode (byte 0377 here) comes from java.io.File.list as '?' (C
     * locale) or U+FFFD (UTF-8): next to a file really named so, the walk would see that file twice and lose the
     * other. The walk lists such a directory again as a stream, whose paths keep the bytes.
     */
    @ParameterizedTest(name = "quick: {0}")
    @ValueSource(booleans = {false, true})
    void aNameTheEncodingCannotDecodeIsNotMistakenForAnother(boolean quick) throws Exception {
        Files.createDirectories(tmp.resolve("c"));
        Files.createDirectories(tmp.resolve("utf8"));
        // The files by their bytes, whatever this JVM's encoding; contents of different sizes tell them apart.
        shell("printf 1 > \"$(printf 'c/bad\\377.ko')\"; printf 22 > 'c/bad?.ko';"
                + " printf 333 > \"$(printf 'utf8/bad\\377.ko')\";"
                + " printf 4444 > \"$(printf 'utf8/bad\\357\\277\\275.ko')\"");
        assertEachFileOnceBySize(4, quick);
    }

    /**
     * A directory so named is listed by its own bytes too: its decoded name ("d?" in the C locale, "d" and U+FFFD in
     * UTF-8) names another directory, whose names, looked up in the right one, would hide the modules only it has.
     */
    @ParameterizedTest(name = "quick: {0}")
    @ValueSource(booleans = {false, true})
    void aDirectoryNamedSoIsListedItselfNotTheDirectoryOfItsDecodedName(boolean quick) throws Exception {
        shell("mkdir \"$(printf 'd\\377')\" 'd?' \"$(printf 'd\\357\\277\\275')\";"
                + " printf 1 > \"$(printf 'd\\377/x.ko')\"; printf 22 > \"$(printf 'd\\377/y.ko')\";"
                + " printf 333 > 'd?/x.ko'; printf 4444 > \"$(printf 'd\\357\\277\\275/x.ko')\"");
        assertEachFileOnceBySize(4, quick);
    }

    private void shell(String script) throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", script).directory(tmp.toFile()).inheritIO().start();
        assertEquals(0, shell.waitFor());
    }

    /** The walk of tmp finds files of 1 to {@code count} bytes, each once, with their own sizes. */
    private void assertEachFileOnceBySize(int count, boolean quick) throws Exception {
        List<Path> files = new ArrayList<>();
        List<KernelIndexLoader.InputIdentity> identities = new ArrayList<>();
        KernelIndexLoader.walkModules(tmp, files, identities, quick);

        assertEquals(count, new java.util.HashSet<>(files).size(), files.toString());
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            assertEquals(Files.size(files.get(i)), identities.get(i).size(), files.get(i).toString());
            sizes.add(identities.get(i).size());
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(1, count).boxed().toList(),
                sizes.stream().sorted().toList());
    }

    /**
     * A directory that fails while it is listed (readdir's EIO, as a damaged disk or a stale NFS handle gives) is an
     * error naming it, not a directory without modules: its modules would silently drop out of the index. The CLI
     * runs with readdir failing in that one directory (a library compiled here, preloaded); also with a cache of the
     * whole tree in place, which the quick walk (java.io.File.list, blind to the failure) does not confirm, so the
     * strict walk that follows meets the failure.
     */
    @ParameterizedTest(name = "with a cache: {0}")
    @ValueSource(booleans = {false, true})
    void aDirectoryThatFailsWhileListedIsAnError(boolean cached) throws Exception {
        Path source = Files.writeString(tmp.resolve("readdir_eio.c"), """
                #define _GNU_SOURCE
                #include <dirent.h>
                #include <dlfcn.h>
                #include <errno.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <unistd.h>

                /* Whether dir is the directory named by KLP_FAILING_DIR. */
                static int failing(DIR *dir) {
                    const char *name = getenv("KLP_FAILING_DIR");
                    char link[64], path[4096];
                    snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd(dir));
                    ssize_t length = readlink(link, path, sizeof path - 1);
                    if (name == NULL || length < 0)
                        return 0;
                    path[length] = 0;
                    return strcmp(path, name) == 0;
                }

                /* readdir, or readdir64 (a JDK built with 64-bit file offsets calls that), failing there. */
                #define FAILING(name, entry)                                                     \\
                    struct entry *name(DIR *dir) {                                               \\
                        static struct entry *(*next)(DIR *);                                     \\
                        if (next == NULL)                                                        \\
                            next = (struct entry *(*)(DIR *)) dlsym(RTLD_NEXT, #name);           \\
                        if (failing(dir)) {                                                      \\
                            errno = EIO;                                                         \\
                            return NULL;                                                         \\
                        }                                                                        \\
                        return next(dir);                                                        \\
                    }

                FAILING(readdir, dirent)
                FAILING(readdir64, dirent64)
                """);
        Path library = tmp.resolve("readdir_eio.so");
        Processes.run(tmp, List.of("gcc", "-shared", "-fPIC", "-o", library.toString(), source.toString(), "-ldl"));
        Path modules = tmp.toRealPath().resolve("modules");
        Path failing = Files.createDirectories(modules.resolve("failing"));
        Files.writeString(failing.resolve("lost.ko"), "lost");
        Path map = Files.writeString(tmp.resolve("System.map"), "ffffffff81000000 T _text\n");

        List<String> cache = cached ? List.of("--cache-dir", tmp.resolve("cache").toString()) : List.of("--no-cache");
        if (cached) {
            // The whole tree, its cache written (the module, not an ELF file, is skipped with a warning naming it).
            String whole = index(map, modules, cache, null, null);
            assertTrue(whole.contains(failing.resolve("lost.ko") + ": skipped") && whole.contains("cache: "), whole);
        }
        String output = index(map, modules, cache, library, failing);
        assertTrue(output.contains(failing + ": cannot list modules: "), output);
    }

    /**
     * Where the file name encoding maps two names to one string (Big5: bytes a1 5a and a1 c4 are both U+FF3F, which
     * encodes to a1 c4), names from java.io.File.list would find one file twice and the other never: two modules
     * so named, of one size and time when the cache was written, and then one of them rewritten, would confirm the
     * stale cache. The CLI runs in a Big5-HKSCS locale made here (localedef, from Debian's locales package).
     */
    @Test
    void aCacheIsNotConfirmedByNamesTheFileNameEncodingDecodesAlike() throws Exception {
        Path locales = Files.createDirectories(tmp.resolve("locales"));
        if (!Files.exists(Path.of("/usr/share/i18n/charmaps/BIG5-HKSCS.gz"))) {
            assertFalse("true".equals(System.getenv("CI")), "the locales package is missing on CI");
            assumeTrue(false, "no BIG5-HKSCS charmap to make the locale from (Debian's locales package)");
        }
        Processes.run(tmp, List.of("localedef", "-c", "-i", "C", "-f", "BIG5-HKSCS",
                locales.resolve("C.BIG5-HKSCS").toString()));
        Map<String, String> big5 = Map.of("LOCPATH", locales.toString(), "LC_ALL", "C.BIG5-HKSCS");
        Path modules = Files.createDirectories(tmp.toRealPath().resolve("modules"));
        Path map = Files.writeString(tmp.resolve("System.map"), "ffffffff81000000 T _text\n");
        List<String> cache = List.of("--cache-dir", tmp.resolve("cache").toString());
        // Not ELF files: each is skipped with a warning naming it, in the locale's encoding.
        String twice = "printf 1 > \"$(printf 'm\\241\\132.ko')\"; printf 2 > \"$(printf 'm\\241\\304.ko')\";"
                + " touch -d @1700000000 m*.ko";
        Processes.run(modules, List.of("sh", "-c", twice));

        String written = index(map, modules, cache, null, null, big5);
        // The name as text, not a Path: in the C locale (CI's) this JVM cannot make a Path of U+FF3F.
        assertTrue(written.contains(modules + "/m\uFF3F.ko: skipped") && written.contains("indexed"), written);
        String unchanged = index(map, modules, cache, null, null, big5);
        assertTrue(unchanged.contains("loaded from cache"), unchanged);
        Processes.run(modules, List.of("sh", "-c", "printf 33 > \"$(printf 'm\\241\\132.ko')\";"
                + " touch -d @1700000000 m*.ko"));
        String rewritten = index(map, modules, cache, null, null, big5);
        assertTrue(rewritten.contains("indexed") && !rewritten.contains("loaded from cache"), rewritten);
    }

    /** klp-lsp index's output; it must exit 0, or 3 (a bad input) when readdir fails in {@code failing}. */
    private static String index(Path map, Path modules, List<String> cache, Path library, Path failing)
            throws Exception {
        return index(map, modules, cache, library, failing, Map.of());
    }

    /** The same with {@code environment} added (its output decoded in the encoding of the locale it names). */
    private static String index(Path map, Path modules, List<String> cache, Path library, Path failing,
            Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "dev.klplsp.cli.Main", "index", "--symbols",
                map.toString(), "--modules", modules.toString()));
        command.addAll(cache);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (library != null) {
            builder.environment().put("LD_PRELOAD", library.toString());
            builder.environment().put("KLP_FAILING_DIR", failing.toString());
        }
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String locale = environment.getOrDefault("LC_ALL", "");
        String output = new String(process.getInputStream().readAllBytes(),
                locale.contains(".") ? Charset.forName(locale.substring(locale.indexOf('.') + 1))
                        : StandardCharsets.UTF_8);
        assertEquals(library == null ? ExitCodes.OK : ExitCodes.INPUT, process.waitFor(), output);
        return output;
    }

    @Test
    void aMissingDirectoryHoldsNoModules() {
        List<Path> files = new ArrayList<>();
        KernelIndexLoader.walkModules(tmp.resolve("missing"), files, new ArrayList<>());
        assertEquals(List.of(), files);
    }
}
