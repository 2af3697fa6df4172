// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./klp-lsp, the checkout's launcher, in a copy of a checkout whose jar is a small program that prints the Java
 * it runs on: the checkout's own runtime is jlinked from the JDK of `java` once, used by every later run, kept
 * when a new jar needs the same modules and made again when it needs others; KLP_LSP_RUNTIME=jdk and a Java
 * without jlink run on that Java itself.
 */
class CheckoutLauncherTest {
    @TempDir
    Path tmp;

    private Path checkout;
    private Path jdk;

    @BeforeEach
    void copyTheLaunchers() throws Exception {
        jdk = Path.of(System.getProperty("java.home")).toRealPath();
        Assumptions.assumeTrue(Files.isExecutable(jdk.resolve("bin/jlink")) && Files.isDirectory(jdk.resolve("jmods")),
                "the JDK running the tests (" + jdk + ") has no jlink and jmods (Debian: openjdk-17-jdk-headless)");
        // A space in its path, as in ~/My Projects/klp-lsp: every path the launchers pass on must stay one word.
        checkout = tmp.resolve("my checkout");
        Path repo = Fixtures.repoRoot();
        for (String script : List.of("klp-lsp", "packaging/run-jar", "packaging/make-runtime")) {
            Path copy = checkout.resolve(script);
            Files.createDirectories(copy.getParent());
            Files.copy(repo.resolve(script), copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // Sources older than the jar, so the launcher does not build it with Maven.
        FileTime past = FileTime.from(Instant.now().minusSeconds(3600));
        for (String file : List.of("pom.xml", "server/pom.xml", "server/src/main/Source.java")) {
            Path source = checkout.resolve(file);
            Files.createDirectories(source.getParent());
            Files.writeString(source, "");
            Files.setLastModifiedTime(source, past);
        }
        Files.setLastModifiedTime(checkout.resolve("server/src/main"), past);
        writeJar("System.out.println(\"java.home=\" + System.getProperty(\"java.home\"));");
    }

    @Test
    void theCheckoutsRuntimeIsMadeOnceAndKeptWhileTheJarNeedsTheSameModules() throws Exception {
        Path runtime = checkout.resolve("server/target/runtime");
        String first = run(Map.of());
        assertTrue(first.contains("making this checkout's Java runtime"), first);
        assertTrue(first.contains("java.home=" + runtime), first);
        assertEquals(List.of(jdk.toString(), "java.base,jdk.unsupported"),
                Files.readAllLines(runtime.resolve("klp-lsp-runtime")));

        // A current runtime costs no process: this run has no PATH to find java, readlink or jdeps with.
        Path mark = Files.writeString(runtime.resolve("mark"), "the same directory");
        String second = run(Map.of("PATH", tmp.resolve("no-such-directory").toString()));
        assertEquals("java.home=" + runtime, second.strip());

        // A new jar of the same modules: the runtime stays (jdeps asked once), and is current again.
        Path stamp = runtime.resolve("klp-lsp-runtime");
        FileTime stale = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(stamp, stale);
        writeJar("System.out.println(\"java.home=\" + System.getProperty(\"java.home\") + \" again\");");
        String rebuilt = run(Map.of());
        assertFalse(rebuilt.contains("making"), rebuilt);
        assertTrue(rebuilt.contains("java.home=" + runtime + " again"), rebuilt);
        assertTrue(Files.exists(mark), "the runtime was made again");
        // Touched by the run (not "within the last 20 s", which a slow run could miss).
        assertTrue(Files.getLastModifiedTime(stamp).compareTo(stale) > 0, "the runtime's stamp was not renewed");

        // A jar that needs another module: a new runtime with it.
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().minusSeconds(60)));
        writeJar("java.util.logging.Logger.getLogger(\"x\"); System.out.println(\"java.home=\""
                + " + System.getProperty(\"java.home\") + \" logging\");");
        String other = run(Map.of());
        assertTrue(other.contains("making this checkout's Java runtime"), other);
        assertTrue(other.contains("java.home=" + runtime + " logging"), other);
        assertFalse(Files.exists(mark), "the runtime was not made again");
        assertEquals(List.of(jdk.toString(), "java.base,java.logging,jdk.unsupported"),
                Files.readAllLines(runtime.resolve("klp-lsp-runtime")));
        try (var left = Files.list(runtime.getParent())) {
            assertEquals(List.of("klp-lsp.jar", "runtime"), left.map(path -> path.getFileName().toString()).sorted()
                    .toList(), "temporary runtimes left behind");
        }

        // A runtime damaged since (its java gone): made again, not run.
        Files.delete(runtime.resolve("bin/java"));
        String damaged = run(Map.of());
        assertTrue(damaged.contains("making this checkout's Java runtime"), damaged);
        assertTrue(damaged.contains("java.home=" + runtime + " logging"), damaged);
    }

    @Test
    void klpLspRuntimeJdkRunsOnTheJdkOfJava() throws Exception {
        String output = run(Map.of("KLP_LSP_RUNTIME", "jdk"));
        assertTrue(output.contains("java.home=" + jdk), output);
        assertFalse(Files.exists(checkout.resolve("server/target/runtime")));
    }

    /**
     * Run by a relative path (my checkout/klp-lsp) from a shell that exports CDPATH: the launcher finds its checkout
     * all the same (cd prints the directory it finds through CDPATH, which would be read as part of the path).
     */
    @Test
    void aCdpathDoesNotMisleadTheLauncher() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "'my checkout/klp-lsp' --version")
                .directory(tmp.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", jdk.resolve("bin") + ":/usr/bin:/bin");
        builder.environment().put("CDPATH", tmp.resolve("elsewhere") + ":.");
        builder.environment().put("KLP_LSP_RUNTIME", "jdk");
        builder.environment().put("KLP_LSP_CDS", "off");
        builder.environment().remove("KLP_LSP_JAVA_OPTS");
        builder.environment().remove("_JAVA_OPTIONS");
        String output = finish(builder.start());
        assertTrue(output.contains("java.home=" + jdk), output);
    }

    /** `java` found on PATH as a script outside the JDK: no jlink beside it, so that Java runs klp-lsp. */
    @Test
    void aJavaWithoutJlinkRunsTheJarItself() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("jre/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec " + jdk.resolve("bin/java") + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String output = run(Map.of("PATH", bin + ":/usr/bin:/bin"));
        assertTrue(output.contains("java.home=" + jdk), output);
        assertFalse(output.contains("making"), output);
        assertFalse(Files.exists(checkout.resolve("server/target/runtime")));
    }

    /**
     * On the JDK's own runtime, where `java` on PATH is a link (Debian's /usr/bin/java to /etc/alternatives/java to
     * the JDK's bin/java), run-jar gets that JDK's java by its own path, so it checks the archive against the JDK's
     * image beside it (lib/modules) and makes it again once the JDK is updated. This JDK has no jlink; its java runs
     * the tests' JDK and its lib/modules is a file dated here. The jar has no training class: the archive fails, and
     * is tried again only when the jar or the image is newer than that failure.
     */
    @Test
    void onTheJdksOwnRuntimeTheArchiveFollowsThatJdksImage() throws Exception {
        Path home = tmp.resolve("jdk-without-jlink");
        writeScript(Files.createDirectories(home.resolve("bin")).resolve("java"),
                "#!/bin/sh\nexec " + jdk.resolve("bin/java") + " \"$@\"\n");
        Path image = Files.writeString(Files.createDirectories(home.resolve("lib")).resolve("modules"), "");
        Path alternative = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("etc/alternatives"))
                .resolve("java"), home.resolve("bin/java"));
        Path bin = Files.createDirectories(tmp.resolve("usr/bin"));
        Files.createSymbolicLink(bin.resolve("java"), alternative);
        Map<String, String> environment = Map.of("PATH", bin + ":/usr/bin:/bin", "KLP_LSP_CDS", "on");
        String creating = "creating the class-data archive " + checkout.resolve("server/target/klp-lsp.jsa");

        String first = run(environment);
        assertTrue(first.contains(creating) && first.contains("java.home=" + jdk), first);
        Path failed = checkout.resolve("server/target/klp-lsp.jsa.failed");
        Instant now = Instant.now();
        Files.setLastModifiedTime(failed, FileTime.from(now.minusSeconds(20)));
        Files.setLastModifiedTime(image, FileTime.from(now.minusSeconds(25)));
        Files.setLastModifiedTime(image.getParent(), FileTime.from(now.minusSeconds(25)));
        String again = run(environment);
        assertFalse(again.contains(creating), again);
        Files.setLastModifiedTime(image, FileTime.from(now.minusSeconds(10)));
        String updated = run(environment);
        assertTrue(updated.contains(creating), updated);

        Files.setLastModifiedTime(failed, FileTime.from(now.minusSeconds(20)));
        Files.setLastModifiedTime(image, FileTime.from(now.minusSeconds(25)));
        updateAsAPackageManagerDoes(image, now.minusSeconds(3600));
        String packaged = run(environment);
        assertTrue(packaged.contains(creating), packaged);
    }

    /**
     * A JDK updated by its package manager (apt upgrade) gets the package's lib/modules, dated when the package was
     * built (maybe before the runtime was made), renamed into lib/ at the time of the update: the runtime is made
     * again. The JDK here runs the tests' JDK's tools through scripts.
     */
    @Test
    void aJdkUpdatedByItsPackageManagerGetsANewRuntime() throws Exception {
        Path home = tmp.toRealPath().resolve("packaged-jdk");
        for (String tool : List.of("java", "jlink", "jdeps")) {
            writeScript(Files.createDirectories(home.resolve("bin")).resolve(tool),
                    "#!/bin/sh\nexec " + jdk.resolve("bin").resolve(tool) + " \"$@\"\n");
        }
        Files.createSymbolicLink(home.resolve("jmods"), jdk.resolve("jmods"));
        Path image = Files.writeString(Files.createDirectories(home.resolve("lib")).resolve("modules"), "");
        Instant now = Instant.now();
        Files.setLastModifiedTime(image, FileTime.from(now.minusSeconds(7200)));
        Files.setLastModifiedTime(image.getParent(), FileTime.from(now.minusSeconds(3600)));
        Map<String, String> environment = Map.of("PATH", home.resolve("bin") + ":/usr/bin:/bin");
        Path runtime = checkout.resolve("server/target/runtime");
        String first = run(environment);
        assertTrue(first.contains("making this checkout's Java runtime"), first);
        assertEquals(List.of(home.toString(), "java.base,jdk.unsupported"),
                Files.readAllLines(runtime.resolve("klp-lsp-runtime")));

        Files.setLastModifiedTime(runtime.resolve("klp-lsp-runtime"), FileTime.from(now.minusSeconds(20)));
        updateAsAPackageManagerDoes(image, now.minusSeconds(1800));
        String updated = run(environment);
        assertTrue(updated.contains("making this checkout's Java runtime"), updated);
        assertTrue(updated.contains("java.home=" + runtime), updated);
    }

    /** Replaces {@code image} as dpkg does: a new file of the package's date {@code built}, renamed over it now. */
    private static void updateAsAPackageManagerDoes(Path image, Instant built) throws Exception {
        Path unpacked = Files.writeString(image.resolveSibling(image.getFileName() + ".dpkg-new"), "updated");
        Files.setLastModifiedTime(unpacked, FileTime.from(built));
        Files.move(unpacked, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Two first runs at once (an editor starting its server while a command runs in a terminal): the run whose
     * jlink ends second keeps the runtime the other put in place meanwhile, which that one may be running on, and
     * drops its own. Here the second is held in make-runtime, after its jlink, until the first has run.
     */
    @Test
    void aRuntimePutInPlaceWhileThisRunMadeItsOwnStays() throws Exception {
        Files.move(checkout.resolve("packaging/make-runtime"), checkout.resolve("packaging/make-runtime.real"));
        writeScript(checkout.resolve("packaging/make-runtime"), """
                #!/bin/sh
                # make-runtime; then, in a run given KLP_TEST_HOLD, a wait until that file exists
                set -e
                "${0%/*}/make-runtime.real" "$@"
                if [ "$1" != --modules ] && [ -n "${KLP_TEST_HOLD:-}" ]; then
                    : > "$KLP_TEST_HOLD.reached"
                    while [ ! -e "$KLP_TEST_HOLD" ]; do sleep 0.1; done
                fi
                """);
        Path hold = tmp.resolve("hold");
        Process second = start(Map.of("KLP_TEST_HOLD", hold.toString()));
        Path reached = tmp.resolve("hold.reached");
        for (int wait = 0; wait < 2400 && !Files.exists(reached) && second.isAlive(); wait++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(reached), "the second run did not reach make-runtime");

        Path runtime = checkout.resolve("server/target/runtime");
        String first = run(Map.of());
        assertTrue(first.contains("java.home=" + runtime), first);
        Path mark = Files.writeString(runtime.resolve("mark"), "the first run's runtime");
        Files.writeString(hold, "");
        String output = finish(second);
        assertTrue(output.contains("java.home=" + runtime), output);
        assertTrue(Files.exists(mark), "the second run replaced the runtime the first run had put in place");
        try (var left = Files.list(runtime.getParent())) {
            assertEquals(List.of("klp-lsp.jar", "runtime"), left.map(path -> path.getFileName().toString()).sorted()
                    .toList(), "temporary runtimes left behind");
        }
    }

    /**
     * A run stopped while it makes the runtime (^C, or an editor stopping the server it starts) leaves no half-made
     * runtime behind. The make-runtime here begins one, then waits until the test has stopped the run (a fixed
     * second was lost to a test thread slower than that: the run then went on with the half-made runtime).
     */
    @Test
    void aRunStoppedWhileItMakesTheRuntimeLeavesNoneBehind() throws Exception {
        Files.move(checkout.resolve("packaging/make-runtime"), checkout.resolve("packaging/make-runtime.real"));
        Path stopped = tmp.resolve("stopped");
        writeScript(checkout.resolve("packaging/make-runtime"), """
                #!/bin/sh
                # make-runtime's modules; a runtime begun, never ended
                if [ "$1" = --modules ]; then
                    exec "${0%%/*}/make-runtime.real" "$@"
                fi
                mkdir "$3"
                i=0
                while [ ! -e '%s' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
                """.formatted(stopped));
        Process run = start(Map.of());
        Path target = checkout.resolve("server/target");
        for (int wait = 0; wait < 2400 && run.isAlive() && List.of("klp-lsp.jar").equals(names(target)); wait++) {
            Thread.sleep(50);
        }
        assertTrue(run.isAlive(), "the run ended before it made the runtime");
        run.destroy();
        Files.writeString(stopped, "");
        run.waitFor();
        assertEquals(List.of("klp-lsp.jar"), names(target), "a half-made runtime left behind");
    }

    private static List<String> names(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** Runs ./klp-lsp of the copy, without archives, with `java` of the tests' JDK first on PATH. */
    private String run(Map<String, String> environment) throws Exception {
        return finish(start(environment));
    }

    private Process start(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("klp-lsp").toString(), "--version")
                .redirectErrorStream(true);
        builder.environment().put("PATH", jdk.resolve("bin") + ":/usr/bin:/bin");
        builder.environment().put("KLP_LSP_CDS", "off");
        builder.environment().remove("KLP_LSP_RUNTIME");
        builder.environment().remove("KLP_LSP_JAVA_OPTS");
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The output of a run, which must succeed. */
    private static String finish(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    private static void writeScript(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * server/target/klp-lsp.jar: a main class running {@code body}, dated 30 s ago (its sources an hour ago, a
     * runtime stamp that should look older than it a minute ago).
     */
    private void writeJar(String body) throws Exception {
        Path sources = Files.createDirectories(tmp.resolve("jar-sources"));
        Files.writeString(sources.resolve("Hello.java"),
                "public class Hello { public static void main(String[] args) { " + body + " } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", sources.toString(),
                sources.resolve("Hello.java").toString()));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        Path jar = checkout.resolve("server/target/klp-lsp.jar");
        Files.createDirectories(jar.getParent());
        Path written = tmp.resolve("klp-lsp.jar.new");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(written), manifest)) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(sources.resolve("Hello.class")));
        }
        Files.move(written, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(30)));
    }
}
