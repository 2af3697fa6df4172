// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Code;
import dev.klplsp.check.Finding;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** What a fresh process does before its command runs: which commands picocli models, and the CDS training run. */
class StartupTest {
    @TempDir
    Path tmp;

    @Test
    void aNamedCommandIsTheOnlyOneModelledAndEveryOtherRunSeesThemAll() {
        StringWriter sink = new StringWriter();
        PrintWriter writer = new PrintWriter(sink);
        assertEquals(Set.of("convert"), Main.commandLine(writer, writer, "--verbose", "convert", "x.ko")
                .getSubcommands().keySet());
        List<String> all = List.of("help", "elf", "index", "lookup", "check", "convert", "migrate", "header",
                "serve");
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer, "--help").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer, "help", "convert").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer, "convrt").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer).getSubcommands().keySet()));
    }

    /** Main turns off picocli's converters for java.time and java.sql types: no argument may have such a type. */
    @Test
    void noArgumentNeedsTheConvertersPicocliIsToldToSkip() {
        StringWriter sink = new StringWriter();
        PrintWriter writer = new PrintWriter(sink);
        List<CommandLine.Model.CommandSpec> specs = new ArrayList<>();
        specs.add(Main.commandLine(writer, writer).getCommandSpec());
        for (int i = 0; i < specs.size(); i++) {
            specs.get(i).subcommands().values().forEach(sub -> specs.add(sub.getCommandSpec()));
        }
        int checked = 0;
        for (CommandLine.Model.CommandSpec spec : specs) {
            for (CommandLine.Model.ArgSpec arg : spec.args()) {
                List<Class<?>> types = new ArrayList<>(List.of(arg.type()));
                types.addAll(List.of(arg.auxiliaryTypes()));
                for (Class<?> type : types) {
                    String name = type.getName();
                    assertTrue(!name.startsWith("java.time.") && !name.startsWith("java.sql."),
                            spec.qualifiedName() + " " + arg + " has type " + name);
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "only " + checked + " argument types seen");
    }

    @Test
    void optionsBeforeTheCommandStillReachIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"--verbose", "elf", tmp.resolve("missing.ko").toString()};
        int status = Main.commandLine(new PrintWriter(out), new PrintWriter(err), args).execute(args);
        assertEquals(ExitCodes.INPUT, status, err.toString());
        assertTrue(err.toString().contains("missing.ko"), err.toString());
    }

    @Test
    void theTrainingModuleIsALivepatchWithEveryKindOfReference() throws Exception {
        Path module = tmp.resolve("klp_training.ko");
        Files.write(module, CdsTraining.trainingModule());
        Path map = Files.writeString(tmp.resolve("System.map"), CdsTraining.SYSTEM_MAP);
        Path symvers = Files.writeString(tmp.resolve("Module.symvers"), CdsTraining.SYMVERS);
        KernelIndex index = KernelIndexLoader.load(KernelSources.ofSymbols(map, symvers), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        CheckResult result = ModuleChecker.check(ElfObject.read(module), index, CheckConfig.DEFAULT);
        assertEquals(List.of(Code.FUNCTION_SYMBOL_RISK, Code.AMBIGUOUS_SYMBOL),
                result.findings().stream().map(Finding::code).toList(), result.findings().toString());
        assertEquals(List.of("klp_training_func"),
                result.plan().symbols().stream().map(s -> s.name()).toList());
    }

    /**
     * The training's debug vmlinux is read as Debian's is: its symbol table is the kernel's (klp_training_data twice)
     * and its DWARF tells the three calls of the module apart (a function with a clone, one as written, one it
     * does not describe) and has the helper inlined into klp_training_func; the second check loads the indexes
     * from the cache and says the same.
     */
    @Test
    void theTrainingDebugKernelShowsWhatTheCompilerDid() throws Exception {
        Path root = CdsTraining.debugKernelRoot(tmp);
        Path module = Files.write(tmp.resolve("klp_training_dbg.ko"),
                CdsTraining.trainingModule(CdsTraining.DEBUG_MODULE_CALLS));
        String[] kernel = {"--kernel", root.toString(), "--cache-dir", tmp.resolve("cache").toString(), "--no-project"};
        String check = cli(ExitCodes.FINDINGS, kernel, "check", module.toString());
        List<String> findings = check.lines().filter(line -> !line.startsWith(" ")).toList();
        String prefix = module + ": ";
        assertEquals(List.of(
                prefix + "warning[function-symbol-risk]: reference to function klp_training_func in vmlinux: its debug"
                        + " information shows other copies of it (klp_training_func.isra.0 (compiler clone: 'flags'"
                        + " dropped)): the kernel's own callers may run one of those instead",
                prefix + "info[function-symbol-risk]: reference to function klp_training_plain in vmlinux: its debug"
                        + " information shows klp_training_plain out of line as written"
                        + " (kernel/livepatch/klp_training.c:30), without compiler clones or changed parameters",
                prefix + "warning[function-symbol-risk]: reference to function klp_training_asm in vmlinux: without"
                        + " -flive-patching the compiler may have inlined, cloned or changed it; the debug information"
                        + " of vmlinux does not describe it (assembly, or code without debug information), so what"
                        + " the compiler did is unknown",
                prefix + "error[ambiguous-symbol]: klp_training_data is ambiguous: 2 symbols of that name in vmlinux;"
                        + " choose one with a sympos annotation (KLP_SYMPOS or KLP_RELOC_SYMBOL_POS)",
                prefix + "1 error, 2 warnings, 1 note; 3 symbols to convert"), findings, check);
        assertEquals(check, cli(ExitCodes.FINDINGS, kernel, "check", module.toString()));
        String helper = cli(ExitCodes.OK, kernel, "lookup", "--inlines", "klp_training_helper");
        assertTrue(helper.contains("""
                klp_training_helper in vmlinux, declared at kernel/livepatch/klp_training.h:5
                  no out-of-line copy: only inlined, so no symbol to patch
                  inlined in 1 place:
                    klp_training_func at kernel/livepatch/klp_training.c:14
                """), helper);
    }

    @ParameterizedTest(name = "kernel commands only: {0}")
    @ValueSource(booleans = {false, true})
    void theTrainingRunGoesThroughEveryCommandWithoutFailing(boolean kernelCommandsOnly) throws Exception {
        CdsTraining.train(Files.createDirectories(tmp.resolve("work")), kernelCommandsOnly);
    }

    /**
     * packaging/run-jar gives the kernel commands' archive to the commands the training of that archive runs: a
     * command it trains but run-jar does not send there (or the reverse) would run with classes from the jar.
     */
    @Test
    void theLauncherSendsTheKernelCommandsToTheirArchive() throws Exception {
        Path runJar = Fixtures.repoRoot().resolve("packaging/run-jar");
        String pattern = String.join(" | ", CdsTraining.KERNEL_COMMANDS) + ") archive=$kernel_jsa"
                + " training=" + CdsTraining.KERNEL_COMMANDS_ARGUMENT + " ;;";
        assertTrue(Files.readString(runJar).contains(pattern), "packaging/run-jar lacks: " + pattern);
        assertTrue(Main.COMMANDS.containsAll(CdsTraining.KERNEL_COMMANDS), Main.COMMANDS.toString());
    }

    /**
     * On one or two CPUs run-jar gives a one-shot command one compiler thread (not `serve`), and none when the
     * user's options bring tiered C2 back, which the JVM refuses to start with one thread: _JAVA_OPTIONS is read
     * after the command line, so its TieredStopAtLevel=4 beats run-jar's 1. The jar has no main class: a JVM that
     * started says so after printing its flags, one that did not says it could not be created. Only on a machine
     * with one or two CPUs (as CI's), where run-jar makes the choice.
     */
    @Test
    void theLauncherChoosesOneCompilerThreadOnlyWhereTheJvmAcceptsIt() throws Exception {
        Path cpus = Path.of("/sys/devices/system/cpu/online");
        String online = Files.isReadable(cpus) ? Files.readString(cpus).strip() : "unknown";
        org.junit.jupiter.api.Assumptions.assumeTrue(online.equals("0") || online.equals("0-1"),
                "run-jar chooses the compiler threads only on one or two CPUs; this machine has " + online);
        java.util.regex.Pattern oneThread = java.util.regex.Pattern.compile(
                "CICompilerCount +=\\s+1\\s+\\{product\\} \\{command line\\}");
        String oneShot = launch("--version", "-XX:+PrintFlagsFinal", null);
        assertTrue(oneThread.matcher(oneShot).find() && oneShot.contains("no main manifest attribute"), oneShot);
        String serve = launch("serve", "-XX:+PrintFlagsFinal", null);
        assertTrue(!oneThread.matcher(serve).find() && serve.contains("no main manifest attribute"), serve);
        String c2 = launch("--version", null, "-XX:TieredStopAtLevel=4");
        assertTrue(c2.contains("no main manifest attribute"), c2);
    }

    /**
     * An archive belongs to one runtime image as well as one jar (the JVM refuses it with another): run-jar makes
     * it again when the image of the Java it is given is newer (a JDK updated in place), not when it is older.
     */
    @Test
    void theLauncherMakesTheArchiveAgainForANewerRuntimeImage() throws Exception {
        Path home = tmp.resolve("java-home");
        Path command = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(command, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " \"$@\"\n");
        Files.setPosixFilePermissions(command, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path image = Files.createDirectories(home.resolve("lib")).resolve("modules");
        Files.writeString(image, "");
        Path archive = Files.createDirectories(tmp.resolve("archives")).resolve("klp-lsp.jsa");
        Files.writeString(archive, "");
        Path jar = emptyJar();
        java.time.Instant now = java.time.Instant.now();
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(now.minusSeconds(120)));
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.from(now.minusSeconds(60)));
        String creating = "creating the class-data archive " + archive;

        Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.from(now.minusSeconds(90)));
        Files.setLastModifiedTime(image.getParent(), java.nio.file.attribute.FileTime.from(now.minusSeconds(90)));
        String older = runJar(command, jar, archive);
        assertTrue(!older.contains(creating) && older.contains("no main manifest attribute"), older);
        Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.from(now.minusSeconds(30)));
        String newer = runJar(command, jar, archive);
        assertTrue(newer.contains(creating) && newer.contains("no main manifest attribute"), newer);
    }

    private static String runJar(Path command, Path jar, Path archive) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", Fixtures.repoRoot().resolve("packaging/run-jar").toString(),
                command.toString(), jar.toString(), archive.toString(), "--version").redirectErrorStream(true);
        builder.environment().remove("KLP_LSP_CDS");
        builder.environment().remove("KLP_LSP_JAVA_OPTS");
        builder.environment().remove("_JAVA_OPTIONS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /**
     * A checkout in a directory whose path has a space (~/My Projects/klp-lsp) gives run-jar an archive path with a
     * space: the JVM gets it as one option, not as two words (it would take the second for the main class).
     */
    @Test
    void theLauncherGivesAnArchivePathWithASpaceAsOneOption() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("My Projects")).resolve("klp-lsp.jsa");
        Files.writeString(archive, "");
        Path jar = emptyJar();
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
        String output = runJar(Path.of(System.getProperty("java.home"), "bin", "java"), jar, archive);
        assertTrue(output.contains("no main manifest attribute"), output);
    }

    /**
     * run-jar stopped while it makes an archive (^C, or an editor stopping its server) leaves no half-made archive or
     * class list behind. The Java here writes the file each step writes, then waits until the test has stopped
     * run-jar (a fixed second was lost to a test thread slower than that: the archive was then finished).
     */
    @Test
    void theLauncherStoppedWhileItMakesAnArchiveLeavesNoneBehind() throws Exception {
        Path command = Files.createDirectories(tmp.resolve("slow/bin")).resolve("java");
        Path stopped = tmp.resolve("stopped");
        Files.writeString(command, """
                #!/bin/sh
                for argument; do
                    case $argument in
                        -XX:DumpLoadedClassList=* | -XX:SharedArchiveFile=*) : > "${argument#*=}" ;;
                    esac
                done
                i=0
                while [ ! -e '%s' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
                """.formatted(stopped));
        Files.setPosixFilePermissions(command, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path archives = Files.createDirectories(tmp.resolve("archives"));
        ProcessBuilder builder = new ProcessBuilder("sh", Fixtures.repoRoot().resolve("packaging/run-jar").toString(),
                command.toString(), emptyJar().toString(), archives.resolve("klp-lsp.jsa").toString(), "--version")
                .redirectErrorStream(true);
        builder.environment().remove("KLP_LSP_CDS");
        Process process = builder.start();
        for (int wait = 0; wait < 2400 && process.isAlive() && isEmpty(archives); wait++) {
            Thread.sleep(50);
        }
        assertTrue(process.isAlive(), "run-jar ended before it made the archive");
        process.destroy();
        Files.writeString(stopped, "");
        process.waitFor();
        assertTrue(isEmpty(archives), "a half-made archive left behind");
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    /** A jar without a main class, made once per test. */
    private Path emptyJar() throws Exception {
        Path jar = tmp.resolve("empty.jar");
        if (!Files.exists(jar)) {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar),
                    new java.util.jar.Manifest())) {
                out.putNextEntry(new JarEntry("empty.txt"));
            }
        }
        return jar;
    }

    /** run-jar's output for {@code command} on a jar without a main class, with the given option variables. */
    private String launch(String command, String klpJavaOpts, String javaOptions) throws Exception {
        Path runJar = Fixtures.repoRoot().resolve("packaging/run-jar");
        Path jar = emptyJar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder("sh", runJar.toString(), java, jar.toString(),
                tmp.resolve("empty.jsa").toString(), command).redirectErrorStream(true);
        builder.environment().put("KLP_LSP_CDS", "off");
        builder.environment().remove("KLP_LSP_JAVA_OPTS");
        builder.environment().remove("_JAVA_OPTIONS");
        if (klpJavaOpts != null) {
            builder.environment().put("KLP_LSP_JAVA_OPTS", klpJavaOpts);
        }
        if (javaOptions != null) {
            builder.environment().put("_JAVA_OPTIONS", javaOptions);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /**
     * The archive made as packaging/run-jar makes it (the training run's class list, then a static dump) keeps
     * every class the training loaded: a class the dump skips (a Java 5 class file linked during the dump, a
     * class whose interface was skipped) is loaded from the jar in every run. The classes are packed into one
     * jar as the shaded jar packs them (klp-lsp's first, signatures left out): the dump takes only jars and
     * skips classes of signed ones.
     */
    @ParameterizedTest(name = "training arguments: {0}")
    @ValueSource(strings = {"", CdsTraining.KERNEL_COMMANDS_ARGUMENT})
    void theClassDataDumpKeepsEveryClassTheTrainingLoads(String trainingArguments) throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = tmp.resolve("klp-lsp.jar");
        Set<String> packed = new java.util.HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    pack(out, packed, classes.relativize(file).toString().replace('\\', '/'),
                            Files.readAllBytes(file));
                }
            }
            String runtime = Files.readString(Path.of(System.getProperty("klp.runtimeClasspath"))).strip();
            for (String dependency : runtime.split(java.io.File.pathSeparator)) {
                try (java.util.jar.JarFile dependencyJar = new java.util.jar.JarFile(dependency)) {
                    for (JarEntry entry : java.util.Collections.list(dependencyJar.entries())) {
                        String name = entry.getName();
                        if (!entry.isDirectory() && !name.startsWith("META-INF/")
                                && !name.endsWith("module-info.class")) {
                            pack(out, packed, name, dependencyJar.getInputStream(entry).readAllBytes());
                        }
                    }
                }
            }
        }
        String cp = jar.toString();
        Path list = tmp.resolve("classes.list");
        List<String> trainingRun = new ArrayList<>(List.of("-XX:DumpLoadedClassList=" + list, "-cp", cp,
                CdsTraining.class.getName()));
        if (!trainingArguments.isEmpty()) {
            trainingRun.add(trainingArguments);
        }
        String training = java(trainingRun.toArray(String[]::new));
        assertTrue(Files.size(list) > 0, training);
        String dump = java("-Xshare:dump", "-XX:SharedClassListFile=" + list,
                "-XX:SharedArchiveFile=" + tmp.resolve("klp-lsp.jsa"), "-Xlog:cds=warning", "-cp", cp);
        List<String> skipped = dump.lines().filter(line -> line.contains("Skipping"))
                .filter(line -> !line.endsWith("JFR event class")).toList();
        assertEquals(List.of(), skipped, dump);
        if (!trainingArguments.isEmpty()) {
            // The kernel commands' training runs exactly the commands run-jar sends to their archive.
            Set<String> trained = Files.readAllLines(list).stream().map(line -> line.split(" ")[0])
                    .filter(name -> name.matches("dev/klplsp/cli/[A-Z][a-z]+Command")).collect(Collectors.toSet());
            Set<String> expected = CdsTraining.KERNEL_COMMANDS.stream().map(command -> "dev/klplsp/cli/"
                    + Character.toUpperCase(command.charAt(0)) + command.substring(1) + "Command")
                    .collect(Collectors.toSet());
            assertEquals(expected, trained);
        }
    }

    /**
     * picocli comes from its sources compiled for Java 17 (server/pom.xml), not from its jar of Java 5 class
     * files, which the JVM verifies in every run even when they come from the archive.
     */
    @Test
    void picocliIsCompiledForJava17() throws Exception {
        try (InputStream in = CommandLine.class.getResourceAsStream("CommandLine.class")) {
            byte[] header = in.readNBytes(8);
            assertEquals(61, (header[6] & 0xff) << 8 | header[7] & 0xff,
                    "class file version of " + CommandLine.class.getResource("CommandLine.class"));
        }
    }

    /**
     * Runs {@code klp-lsp COMMAND... OPTIONS...} in this JVM; its output (stdout and stderr), which it must end with
     * {@code status}.
     */
    private static String cli(int status, String[] options, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(options));
        String[] all = args.toArray(String[]::new);
        StringWriter sink = new StringWriter();
        PrintWriter writer = new PrintWriter(sink);
        int exit = Main.commandLine(writer, writer, all).execute(all);
        writer.flush();
        assertEquals(status, exit, sink.toString());
        return sink.toString();
    }

    private static void pack(JarOutputStream out, Set<String> packed, String name, byte[] bytes) throws Exception {
        if (packed.add(name)) {
            out.putNextEntry(new JarEntry(name));
            out.write(bytes);
            out.closeEntry();
        }
    }

    /** Runs a JVM of this Java; its output (stdout and stderr), which it must end with status 0. */
    private static String java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
