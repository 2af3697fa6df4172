// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.cli.Main;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ModuleVersions;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.RealKernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The several-kernels proof on Debian's own builds 6.1.0-56, -47 and -52, each indexed from its vmlinuz alone.
 * One livepatch source (testdata/kernel/modules/klpm) reads two statics whose copies differ between the builds:
 * {@code cpumask_weight} (the copy next to clockevents_program_min_delta is sympos 11 in -56, 10 in -47 and -52) and
 * {@code pmus} (unique in -47 and -52, two copies in -56). With the number written for -56,
 * {@code check --kernel -56 --kernel -47 --kernel -52} reports exactly the builds where a reference is wrong, which
 * the builds' own kallsyms dumps confirm; with pins by identity, {@code convert} writes one module per build, and
 * each loads into its booted kernel and reads the intended copy (its address equals that boot's kallsyms address).
 *
 * <p>The builds are not one ABI: module_layout's CRC differs in each, so the module built against
 * linux-headers-6.1.0-56 is refused by -47 ("disagrees about version of symbol module_layout", shown in the -47
 * boot). apt serves headers for -47 but not for -52, so the test re-versions the converted module for -47 and -52
 * with that build's own CRCs read from its image ({@link ModuleVersions}), which is what modpost writes when the
 * module is built against that build's Module.symvers.
 */
class KernelsRealKernelTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern MARKER = Pattern.compile("KLPM_MARKER klpm cpumask_weight=([0-9a-f]+) pmus=([0-9a-f]+)");

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The sympos kallsyms order gives the copy of {@code name} right after {@code neighbour}, in a dump. */
    private static int symposAfter(Path dump, String neighbour, String name) throws Exception {
        int count = 0;
        String previous = "";
        for (String line : Files.readAllLines(dump)) {
            String[] fields = line.split("[ \t]+");
            if (fields.length != 3) {
                continue; // a module's line
            }
            if (fields[2].equals(name)) {
                count++;
                if (previous.equals(neighbour)) {
                    return count;
                }
            }
            previous = fields[2];
        }
        throw new AssertionError("no " + name + " after " + neighbour + " in " + dump);
    }

    private static long copies(Path dump, String name) throws Exception {
        return Files.readAllLines(dump).stream().map(line -> line.split("[ \t]+"))
                .filter(fields -> fields.length == 3 && fields[2].equals(name)).count();
    }

    @Test
    void aNumberRightForOneBuildIsReportedWherePinnedModulesLoadAndReadTheIntendedCopy() throws Exception {
        RealKernel kernel = RealKernel.require();
        Map<String, RealKernel.OtherBuild> others = new LinkedHashMap<>();
        kernel.otherBuilds().forEach(build -> others.put(build.release(), build));
        RealKernel.OtherBuild b47 = others.get("6.1.0-47-amd64");
        RealKernel.OtherBuild b52 = others.get("6.1.0-52-amd64");
        // Each kernel from its image (a vmlinuz, as in the image package; the package's modules are not needed).
        Map<String, Path> images = new LinkedHashMap<>();
        images.put(kernel.release(), kernel.vmlinuz());
        images.put(b47.release(), b47.vmlinuz());
        images.put(b52.release(), b52.vmlinuz());
        Map<String, Path> dumps = Map.of(kernel.release(), kernel.kallsymsDump(), b47.release(), b47.kallsymsDump(),
                b52.release(), b52.kallsymsDump());
        Path cache = Fixtures.repoRoot().resolve("server/target/real-index-cache");
        List<String> kernelArgs = new ArrayList<>(List.of("--cache-dir", cache.toString()));
        images.values().forEach(image -> kernelArgs.addAll(List.of("--kernel", image.toString())));
        Path work = Fixtures.repoRoot().resolve("server/target/klpm");
        Files.createDirectories(work);
        Path module = kernel.buildModule(Fixtures.testdata().resolve("kernel/modules/klpm"), "klpm");

        // 1. The number written for -56 (cpumask_weight sympos 11) and pmus left unannotated.
        List<String> check = new ArrayList<>(List.of("check", module.toString(), "--json", "--sympos",
                "cpumask_weight=vmlinux:11"));
        check.addAll(kernelArgs);
        Run checked = cli(check);
        assertEquals(1, checked.exitCode(), checked.out() + checked.err());
        Set<String> errors = new TreeSet<>();
        for (JsonElement element : JsonParser.parseString(checked.out()).getAsJsonObject().getAsJsonArray("findings")) {
            JsonObject finding = element.getAsJsonObject();
            if (finding.get("severity").getAsString().equals("error")) {
                errors.add(finding.get("code").getAsString() + " " + finding.get("symbol").getAsString() + " "
                        + finding.getAsJsonArray("kernels"));
            }
        }
        // What each build's own kallsyms says: where sympos 11 is not the copy after clockevents_program_min_delta,
        // and where pmus is not unique (an unannotated reference is refused there).
        List<String> movedIn = new ArrayList<>();
        List<String> ambiguousIn = new ArrayList<>();
        for (String release : images.keySet()) {
            if (symposAfter(dumps.get(release), "clockevents_program_min_delta", "cpumask_weight") != 11) {
                movedIn.add(release);
            }
            if (copies(dumps.get(release), "pmus") > 1) {
                ambiguousIn.add(release);
            }
        }
        assertEquals(List.of("6.1.0-47-amd64", "6.1.0-52-amd64"), movedIn, "the dumps");
        assertEquals(List.of("6.1.0-56-amd64"), ambiguousIn, "the dumps");
        assertEquals(new TreeSet<>(Set.of("ambiguous-symbol pmus " + json(ambiguousIn),
                "sympos-moved cpumask_weight " + json(movedIn))), errors, checked.out());

        // 2. Pinned by identity: one module per build, each with that build's own sympos.
        Path pins = work.resolve("pins.txt");
        Files.writeString(pins, "cpumask_weight = vmlinux, near clockevents_program_min_delta\n"
                + "pmus = vmlinux, near pmus_lock\n");
        List<String> convert = new ArrayList<>(List.of("convert", module.toString(), "--sympos-file", pins.toString(),
                "-o", work.resolve("{kernel}/klpm.ko").toString()));
        convert.addAll(kernelArgs);
        Run converted = cli(convert);
        assertEquals(0, converted.exitCode(), converted.out() + converted.err());
        Map<String, List<String>> expected = Map.of(
                kernel.release(), List.of(".klp.sym.vmlinux.cpumask_weight,11", ".klp.sym.vmlinux.pmus,1"),
                b47.release(), List.of(".klp.sym.vmlinux.cpumask_weight,10", ".klp.sym.vmlinux.pmus,0"),
                b52.release(), List.of(".klp.sym.vmlinux.cpumask_weight,10", ".klp.sym.vmlinux.pmus,0"));
        for (String release : images.keySet()) {
            List<String> klpSymbols = ElfObject.read(work.resolve(release + "/klpm.ko")).symbolTable().orElseThrow()
                    .symbols().stream().map(symbol -> symbol.name()).filter(name -> name.startsWith(".klp.sym."))
                    .sorted().toList();
            assertEquals(expected.get(release), klpSymbols, release);
        }

        // 3. Each build boots with its module; -47 also gets the module as built for -56 first, which it refuses.
        String script = """
                log() { echo "KLPM: $*"; }
                [ -e /mods/klpm_as_built.ko ] && { insmod /mods/klpm_as_built.ko; log "insmod as built rc=$?"; }
                insmod /mods/klpm.ko; log "insmod rc=$?"
                for i in 1 2 3 4 5 6 7 8 9 10; do
                    [ "$(cat /sys/kernel/livepatch/klpm/transition 2>/dev/null)" = 0 ] && break
                    sleep 1
                done
                log "cmdline $(cat /proc/cmdline)"
                awk '{ if (($3 == "cpumask_weight" && prev == "clockevents_program_min_delta") \\
                    || ($3 == "pmus" && prev == "pmus_lock")) print "KLPM: intended " $3 " " $1; prev = $3 }' \\
                    /proc/kallsyms
                """;
        for (String release : images.keySet()) {
            Path converted56 = work.resolve(release + "/klpm.ko");
            List<Path> modules = new ArrayList<>();
            Path vmlinuz;
            if (release.equals(kernel.release())) {
                vmlinuz = kernel.vmlinuz();
                modules.add(converted56);
            } else {
                RealKernel.OtherBuild build = others.get(release);
                vmlinuz = build.vmlinuz();
                KernelIndex index = KernelIndexLoader.load(KernelSources.ofKernel(vmlinuz.toString()),
                        new IndexOptions(Optional.of(cache), true), ProgressListener.NONE);
                Map<String, Long> crcs = ModuleVersions.crcs(vmlinuz, Files.readAllBytes(vmlinuz), index,
                        ModuleVersions.names(converted56));
                Path versioned = work.resolve(release + "/versioned/klpm.ko");
                Files.createDirectories(versioned.getParent());
                Files.write(versioned, ModuleVersions.restamp(converted56, crcs));
                modules.add(versioned);
                if (release.equals(b47.release())) {
                    Path asBuilt = work.resolve(release + "/as-built/klpm_as_built.ko");
                    Files.createDirectories(asBuilt.getParent());
                    Files.copy(converted56, asBuilt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    modules.add(0, asBuilt);
                }
            }
            RealKernel.BootResult boot = kernel.boot(vmlinuz, modules, script, BOOT_TIMEOUT, "");
            String log = boot.serialLog();
            assertTrue(boot.completed(), boot.describe());
            System.out.println("KernelsRealKernelTest: " + release + " booted in " + boot.wallTime().toMillis()
                    + " ms; log " + boot.logFile());
            if (release.equals(b47.release())) {
                assertTrue(log.contains("klpm: disagrees about version of symbol module_layout"), boot.describe());
                assertTrue(log.contains("KLPM: insmod as built rc=") && !log.contains("KLPM: insmod as built rc=0"),
                        boot.describe());
            }
            assertTrue(log.contains("KLPM: insmod rc=0"), boot.describe());
            assertTrue(log.contains("livepatch: 'klpm': patching complete"), boot.describe());
            Matcher marker = MARKER.matcher(log);
            assertTrue(marker.find(), boot.describe());
            Matcher weight = Pattern.compile("KLPM: intended cpumask_weight ([0-9a-f]+)").matcher(log);
            Matcher pmus = Pattern.compile("KLPM: intended pmus ([0-9a-f]+)").matcher(log);
            assertTrue(weight.find() && pmus.find(), boot.describe());
            assertEquals(weight.group(1), marker.group(1), release + ": the cpumask_weight next to"
                    + " clockevents_program_min_delta");
            assertEquals(pmus.group(1), marker.group(2), release + ": the pmus next to pmus_lock");
        }
    }

    private static String json(List<String> kernels) {
        return "[" + String.join(",", kernels.stream().map(kernel -> "\"" + kernel + "\"").toList()) + "]";
    }
}
