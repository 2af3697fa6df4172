// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.KlpException;
import dev.klplsp.base.WorkerFailure;
import dev.klplsp.elf.ElfSymbolFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds a {@link KernelIndex} from {@link KernelSources}, or reloads it from the cache when the inputs did not change. */
public final class KernelIndexLoader {
    private KernelIndexLoader() {
    }

    /** A file the index was built from, as the cache key remembers it. */
    record InputIdentity(String path, long size, long mtimeMillis) {
        // Written out: a record's generated equals costs an invokedynamic bootstrap (tens of ms in a fresh JVM).
        @Override
        public boolean equals(Object other) {
            return other instanceof InputIdentity that && size == that.size && mtimeMillis == that.mtimeMillis
                    && path.equals(that.path);
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + Long.hashCode(size ^ mtimeMillis);
        }

        static InputIdentity of(Path path, BasicFileAttributes attributes) {
            return new InputIdentity(path.toAbsolutePath().normalize().toString(), attributes.size(),
                    attributes.lastModifiedTime().toMillis());
        }

        static InputIdentity of(Path path) {
            try {
                return of(path, Files.readAttributes(path, BasicFileAttributes.class));
            } catch (IOException e) {
                throw new SymbolSourceException(path, "cannot read: " + KlpException.reason(e), e);
            }
        }
    }

    public static KernelIndex load(KernelSources sources, IndexOptions options, ProgressListener progress) {
        return load(sources, options, progress, true);
    }

    /**
     * Several kernels' indexes, in order. The fresh cached ones are read in parallel (each maps its file and checks
     * its CRC, which is most of a cached load); the others are then built one at a time, as a build already uses
     * every core and two at once would double the peak heap.
     */
    public static List<KernelIndex> loadAll(List<KernelSources> sources, IndexOptions options,
            ProgressListener progress) {
        KernelIndex[] indexes = new KernelIndex[sources.size()];
        if (sources.size() > 1 && options.useCache()) {
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), sources.size()));
            ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "klp-index-cached");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<KernelIndex>> cached = new ArrayList<>();
                for (KernelSources each : sources) {
                    cached.add(pool.submit(() -> load(each, options, ProgressListener.NONE, false)));
                }
                for (int i = 0; i < indexes.length; i++) {
                    indexes[i] = cached.get(i).get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading cached indexes", e);
            } catch (ExecutionException e) {
                throw WorkerFailure.unwrap(e);
            } finally {
                pool.shutdownNow();
            }
        }
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] == null) {
                indexes[i] = load(sources.get(i), options, progress, true);
            }
        }
        return List.of(indexes);
    }

    /** The index; without {@code build}, null unless the cache holds it for exactly these inputs. */
    private static KernelIndex load(KernelSources sources, IndexOptions options, ProgressListener progress,
            boolean build) {
        KernelSources.Resolved resolved = sources.resolve();
        // The cache file depends only on the input paths: read it while the module tree is walked.
        Path cacheFile = options.useCache() ? IndexCache.fileFor(options.effectiveCacheDir(), resolved) : null;
        java.util.concurrent.CompletableFuture<Object> cachedRead = new java.util.concurrent.CompletableFuture<>();
        if (cacheFile != null) {
            Path file = cacheFile;
            Thread reader = new Thread(() -> {
                try {
                    cachedRead.complete(IndexCache.read(file));
                } catch (Throwable e) {
                    // Whatever happens, the loader waiting on this thread gets an answer: the cache is unusable.
                    cachedRead.complete(e);
                }
            }, "klp-index-cache");
            reader.setDaemon(true);
            reader.start();
        }
        progress.onProgress("scanning modules", 0, 0);
        List<Path> moduleFiles = new ArrayList<>();
        List<InputIdentity> identities = new ArrayList<>();
        resolved.imagePackage().ifPresent(file -> identities.add(InputIdentity.of(file)));
        for (KernelSources.Source source : resolved.vmlinuxSources()) {
            identities.add(InputIdentity.of(source.path()));
        }
        for (Path file : resolved.symbolsKlp()) {
            identities.add(InputIdentity.of(file));
        }
        resolved.symvers().ifPresent(file -> identities.add(InputIdentity.of(file)));
        resolved.modulesBuiltin().ifPresent(file -> identities.add(InputIdentity.of(file)));
        for (Path file : resolved.moduleFiles()) {
            identities.add(InputIdentity.of(file));
        }
        int givenIdentities = identities.size();
        // With a cache file to confirm, the quick walk (see walkModules), which may miss modules but never adds one:
        // a cache it confirms holds every module it saw, and could lack only modules added since it was written
        // whose directory entries a failing readdir hid. Unconfirmed, the modules are walked again strictly before
        // the cache is called stale or an index is built from them.
        boolean quick = QUICK_WALK_NAMES_EXACT && cacheFile != null && Files.isRegularFile(cacheFile);
        walkModules(resolved.moduleDirs(), resolved.moduleFiles(), moduleFiles, identities, quick);

        List<String> notes = new ArrayList<>();
        if (cacheFile != null) {
            Object result = cachedRead.join();
            IndexCache.Cached cached = result instanceof Optional<?> found && found.isPresent()
                    ? (IndexCache.Cached) found.get() : null;
            if (quick && (cached == null || !cached.inputs().equals(identities))) {
                identities.subList(givenIdentities, identities.size()).clear();
                walkModules(resolved.moduleDirs(), resolved.moduleFiles(), moduleFiles, identities, false);
            }
            if (cached != null && cached.inputs().equals(identities)) {
                return cached.index().withLoadInfo(new KernelIndex.LoadInfo(true, Optional.of(cacheFile), List.of()));
            }
            if (cached != null) {
                notes.add("cache " + cacheFile + " not used (inputs changed since it was written); rebuilt");
            } else if (result instanceof IndexCache.UnusableCacheException e) {
                notes.add("cache " + cacheFile + " not used (" + e.getMessage() + "); rebuilt");
            } else if (result instanceof Throwable e) {
                notes.add("cache " + cacheFile + " not used (" + e + "); rebuilt");
            }
        }
        if (!build) {
            return null;
        }
        KernelIndex index = build(resolved, moduleFiles, progress);
        if (cacheFile != null) {
            progress.onProgress("writing cache", 0, 0);
            try {
                IndexCache.write(cacheFile, identities, index);
            } catch (KlpException e) {
                notes.add("cache not written: " + e.getMessage());
            }
        }
        return index.withLoadInfo(new KernelIndex.LoadInfo(false, Optional.ofNullable(cacheFile), List.copyOf(notes)));
    }

    private static boolean isModuleFile(String name) {
        return name.endsWith(".ko") || name.endsWith(".ko.xz") || name.endsWith(".ko.zst") || name.endsWith(".ko.gz");
    }

    /**
     * A directory entry of the module walk: a module file (with its attributes) or a directory (without), keyed so
     * that sorting a directory's entries gives the order of the whole path strings: a directory's key is its name
     * and "/", as in the paths below it.
     */
    private record Entry(String key, Path path, BasicFileAttributes attributes) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            return key.compareTo(other.key);
        }
    }

    /**
     * Appends the module files under {@code dir} and their identities, ordered by path string. {@code dir} itself
     * may be a symlink; below it symlinks are not followed (/lib/modules/<release>/build points at a whole headers
     * tree). A directory that cannot be opened holds no module for us; one that fails while it is listed is an
     * error (its modules would silently drop out of the index). Each directory's few entries are sorted, not the
     * 4,000 paths at the end (that sort was a fifth of a cached run's walk), and a stack replaces recursion: a tree
     * may nest as deep as PATH_MAX allows.
     */
    static void walkModules(Path dir, List<Path> moduleFiles, List<InputIdentity> identities) {
        walkModules(dir, moduleFiles, identities, false);
    }

    /**
     * {@code moduleFiles}: the given module files, then those under {@code dirs}; their identities appended to
     * {@code identities}.
     */
    private static void walkModules(List<Path> dirs, List<Path> given, List<Path> moduleFiles,
            List<InputIdentity> identities, boolean quick) {
        moduleFiles.clear();
        moduleFiles.addAll(given);
        for (Path dir : dirs) {
            walkModules(dir, moduleFiles, identities, quick);
        }
    }

    /**
     * {@link #walkModules(Path, List, List)}, or, {@code quick}, with each directory's names from
     * {@link java.io.File#list()}: one native call per directory, where a DirectoryStream makes a native call,
     * a Path and a lock per entry (4–6 ms of a cached typical conversion). That call stops silently at a failing
     * readdir, so a quick walk may miss modules (never add one): it only confirms a cache, and the loader walks
     * again strictly when it does not. It has only decoded names: a directory whose path or entries the file
     * name encoding cannot decode ('?' or U+FFFD in their place) is listed as a stream, and the loader walks
     * quickly only where that encoding decodes no two names alike ({@link #QUICK_WALK_NAMES_EXACT}).
     */
    static void walkModules(Path dir, List<Path> moduleFiles, List<InputIdentity> identities, boolean quick) {
        Deque<Entry> pending = new ArrayDeque<>();
        // Children of an absolute, normalized directory are absolute and normalized too.
        pending.push(new Entry("", dir.toAbsolutePath().normalize(), null));
        while (!pending.isEmpty()) {
            Entry entry = pending.pop();
            if (entry.attributes != null) {
                moduleFiles.add(entry.path);
                identities.add(new InputIdentity(entry.path.toString(), entry.attributes.size(),
                        entry.attributes.lastModifiedTime().toMillis()));
                continue;
            }
            List<Entry> entries = quick ? listedEntries(entry.path) : null;
            if (entries == null) {
                entries = sortedEntries(entry.path);
            }
            for (int i = entries.size() - 1; i >= 0; i--) {
                pending.push(entries.get(i));
            }
        }
    }

    /**
     * {@link #sortedEntries} of the quick walk, by {@link java.io.File#list()}; null where only a DirectoryStream
     * can tell: the directory cannot be listed (opened, or read), a name or the path is not decoded, an entry is
     * gone or odd.
     */
    private static List<Entry> listedEntries(Path dir) {
        String path = dir.toString();
        if (undecoded(path)) {
            return null;
        }
        String[] names = new java.io.File(path).list();
        if (names == null) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(names.length);
        for (String name : names) {
            if (undecoded(name)) {
                return null;
            }
            try {
                Path child = dir.resolve(name);
                addEntry(entries, name, child,
                        Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            } catch (IOException | java.nio.file.InvalidPathException e) {
                return null;
            }
        }
        Collections.sort(entries);
        return entries;
    }

    /**
     * Whether the file name encoding gives each name java.io.File.list decodes exactly one string that encodes back
     * to its bytes, or a string with '?' or U+FFFD: so with UTF-8, ASCII (the C locale) and Latin-1. Not so with
     * every encoding: Big5 (zh_TW.BIG5, zh_HK.BIG5-HKSCS) decodes a1 5a and a1 c4 both to U+FF3F, which encodes
     * to a1 c4; a quick walk there would see that file twice and the other never. Elsewhere the walk is strict.
     */
    private static final boolean QUICK_WALK_NAMES_EXACT = decodesExactly(System.getProperty("sun.jnu.encoding"));

    private static boolean decodesExactly(String fileNameEncoding) {
        try {
            java.nio.charset.Charset charset = java.nio.charset.Charset.forName(fileNameEncoding);
            return charset.equals(java.nio.charset.StandardCharsets.UTF_8)
                    || charset.equals(java.nio.charset.StandardCharsets.US_ASCII)
                    || charset.equals(java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) { // none, an illegal name or one this JVM does not support
            return false;
        }
    }

    /** Whether a decoded name may stand for bytes the file name encoding could not decode. */
    private static boolean undecoded(String name) {
        return name.indexOf('?') >= 0 || name.indexOf('\uFFFD') >= 0;
    }

    /**
     * The subdirectories and module files of {@code dir}, sorted by key; none when it cannot be opened. Listed as a
     * DirectoryStream, which reports a failing readdir and keeps every name's bytes (java.io.File.list, which the
     * quick walk uses, does neither).
     */
    private static List<Entry> sortedEntries(Path dir) {
        List<Entry> entries = new ArrayList<>();
        DirectoryStream<Path> children;
        try {
            children = Files.newDirectoryStream(dir);
        } catch (IOException e) {
            return entries;
        }
        try (children) {
            for (Path child : children) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue; // gone since it was listed: reported when the module is read, or not a module at all
                }
                addEntry(entries, child.getFileName().toString(), child, attributes);
            }
        } catch (IOException | DirectoryIteratorException e) {
            IOException cause = e instanceof DirectoryIteratorException failed ? failed.getCause() : (IOException) e;
            throw new SymbolSourceException(dir, "cannot list modules: " + KlpException.reason(cause), cause);
        }
        Collections.sort(entries);
        return entries;
    }

    /** Adds a directory (not a symlink to one) or a module file; nothing else is an entry of the walk. */
    private static void addEntry(List<Entry> entries, String name, Path path, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            entries.add(new Entry(name + "/", path, null));
        } else if (attributes.isRegularFile() && isModuleFile(name)) {
            entries.add(new Entry(name, path, attributes));
        }
    }

    static KernelIndex build(KernelSources.Resolved resolved, List<Path> moduleFiles, ProgressListener progress) {
        KernelIndexBuilder builder = new KernelIndexBuilder();
        List<IndexWarning> warnings = new ArrayList<>(resolved.warnings());
        Map<String, ObjectSymbols> dumpModules = new LinkedHashMap<>();
        // An image package is one stream: its modules go to the builder as it is read, its vmlinux comes back.
        ImagePackageSource.Read fromPackage = resolved.imagePackage()
                .map(deb -> ImagePackageSource.read(deb, builder, progress)).orElse(null);
        if (fromPackage != null) {
            warnings.addAll(fromPackage.warnings());
        }

        // vmlinux is read on its own thread while the pool reads the modules.
        java.util.concurrent.CompletableFuture<List<IndexWarning>> vmlinuxRead =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> readVmlinux(resolved, fromPackage == null ? null : fromPackage.vmlinux(), builder,
                                dumpModules, progress), runnable -> {
                            Thread thread = new Thread(runnable, "klp-index-vmlinux");
                            thread.setDaemon(true);
                            thread.start();
                        });
        Map<String, List<String>> modulesByRelease = readModules(moduleFiles, builder, warnings, progress);
        if (fromPackage != null) {
            fromPackage.modulesByRelease().forEach((rel, modules) -> modulesByRelease
                    .computeIfAbsent(rel, r -> new ArrayList<>()).addAll(modules));
        }
        try {
            warnings.addAll(vmlinuxRead.join());
        } catch (java.util.concurrent.CompletionException e) {
            throw WorkerFailure.unwrap(e);
        }

        for (ObjectSymbols module : dumpModules.values()) {
            if (!builder.has(module.object)) {
                builder.add(module);
            }
        }
        List<Export> klpExports = new ArrayList<>();
        for (Path file : resolved.symbolsKlp()) {
            SymbolsKlpFile.Parsed parsed = SymbolsKlpFile.read(file, InputFiles.read(file));
            int ambiguous = 0;
            for (ObjectSymbols object : parsed.objects().values()) {
                if (!builder.has(object.object)) {
                    builder.add(object);
                    Set<String> seen = new java.util.HashSet<>();
                    for (int i = 0; i < object.count; i++) {
                        if (!seen.add(object.names[i])) {
                            ambiguous++;
                        }
                    }
                }
            }
            if (ambiguous > 0) {
                warnings.add(IndexWarning.of("symbols-klp-order", file, ambiguous + " duplicated names come from"
                        + " symbols.klp, which has no addresses: their sympos follow file order, not the kernel's;"
                        + " give vmlinux/System.map/kallsyms and the modules for exact positions"));
            }
            klpExports.addAll(parsed.exports());
        }
        builder.addExportsIfAbsent(klpExports);
        if (resolved.symvers().isPresent()) {
            Path symvers = resolved.symvers().get();
            builder.addExports(SymversSource.read(symvers, InputFiles.read(symvers)));
        }
        Set<String> builtin = resolved.modulesBuiltin()
                .map(file -> ModulesBuiltinSource.read(file, InputFiles.read(file)))
                .orElse(fromPackage != null ? fromPackage.builtin() : Set.of());
        Optional<String> release = resolved.release();
        if (fromPackage != null && (release.isEmpty() || !release.get().equals(fromPackage.release()))) {
            release = Optional.of(fromPackage.release()); // the image's own name beats the package file name
        }
        if (release.isEmpty() && !resolved.vmlinuxSources().isEmpty()) {
            // Distribution file names carry it: vmlinux-6.1.0-56-amd64, System.map-6.1.0-56-amd64.
            String fileName = resolved.vmlinuxSources().get(0).path().getFileName().toString();
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?:vmlinux|vmlinuz|System\\.map)-(.+)")
                    .matcher(fileName);
            if (matcher.matches()) {
                release = Optional.of(matcher.group(1));
            }
        }
        if (release.isEmpty()) {
            release = modulesByRelease.entrySet().stream()
                    .max(java.util.Comparator.comparingInt((Map.Entry<String, List<String>> e) -> e.getValue().size()))
                    .map(Map.Entry::getKey);
        }
        for (Map.Entry<String, List<String>> entry : modulesByRelease.entrySet()) {
            if (release.isPresent() && !entry.getKey().equals(release.get())) {
                List<String> modules = entry.getValue();
                warnings.add(IndexWarning.of("mixed-release", null, modules.size() + " module(s) were built for "
                        + entry.getKey() + ", not " + release.get() + " (vermagic): "
                        + String.join(", ", modules.subList(0, Math.min(5, modules.size())))
                        + (modules.size() > 5 ? ", ..." : "")));
            }
        }
        warnings.sort(java.util.Comparator.comparing(IndexWarning::toString));
        return builder.build(release, warnings, builtin);
    }

    /**
     * Reads the vmlinux sources: the first counts, the others are cross-checked (returns their warnings). An image
     * package's vmlinux comes last, like any discovered source: explicit files take precedence.
     */
    private static List<IndexWarning> readVmlinux(KernelSources.Resolved resolved, ObjectSymbols fromPackage,
            KernelIndexBuilder builder, Map<String, ObjectSymbols> dumpModules, ProgressListener progress) {
        List<IndexWarning> warnings = new ArrayList<>();
        ObjectSymbols vmlinux = null;
        for (KernelSources.Source source : resolved.vmlinuxSources()) {
            progress.onProgress("reading " + source.path().getFileName(), 0, 0);
            ObjectSymbols read;
            if (source.is(InputFiles.Format.VMLINUX_ELF)) {
                read = ElfSymbolSource.vmlinux(ElfSymbolFile.read(source.path()));
            } else if (source.is(InputFiles.Format.KERNEL_IMAGE)) {
                read = KernelImageSource.read(source.path());
            } else {
                boolean systemMap = source.is(InputFiles.Format.SYSTEM_MAP);
                NmListSource.Parsed parsed = NmListSource.read(source.path(), InputFiles.read(source.path()), systemMap);
                read = parsed.vmlinux().count > 0 ? parsed.vmlinux() : null;
                synchronized (dumpModules) {
                    parsed.modules().forEach(dumpModules::putIfAbsent);
                }
            }
            if (read == null) {
                continue;
            }
            if (vmlinux == null) {
                vmlinux = read;
            } else {
                VmlinuxCrossCheck.compare(vmlinux, read).ifPresent(warnings::add);
            }
        }
        if (fromPackage != null) {
            if (vmlinux == null) {
                vmlinux = fromPackage;
            } else {
                VmlinuxCrossCheck.compare(vmlinux, fromPackage).ifPresent(warnings::add);
            }
        }
        if (vmlinux != null) {
            builder.add(vmlinux);
        }
        return warnings;
    }

    /**
     * Reads modules in parallel (symbol tables only, memory-mapped); an unreadable module is skipped with a
     * warning. Two files with the same module name: the one under updates/ or extra/ wins, as with depmod, then
     * the first by path; but only a readable copy can win (a truncated nvram.ko.gz does not hide nvram.ko.xz).
     *
     * @return module names by the release in their vermagic
     */
    private static Map<String, List<String>> readModules(List<Path> moduleFiles, KernelIndexBuilder builder,
            List<IndexWarning> warnings, ProgressListener progress) {
        Map<String, List<Path>> chosen = new LinkedHashMap<>();
        for (Path file : moduleFiles) {
            chosen.computeIfAbsent(ElfSymbolSource.moduleName(file), name -> new ArrayList<>()).add(file);
        }
        for (List<Path> copies : chosen.values()) {
            copies.sort(java.util.Comparator.comparingInt(KernelIndexLoader::priority).reversed()); // stable
        }
        Map<String, List<String>> byRelease = new TreeMap<>();
        if (chosen.isEmpty()) {
            return byRelease;
        }
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "klp-index");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ExecutorCompletionService<Object> completion = new ExecutorCompletionService<>(pool);
            List<Future<Object>> futures = new ArrayList<>();
            for (Map.Entry<String, List<Path>> entry : chosen.entrySet()) {
                futures.add(completion.submit(() -> readFirstReadable(entry.getValue(), entry.getKey(), builder)));
            }
            int total = futures.size();
            for (int done = 1; done <= total; done++) {
                for (Object result : (List<?>) completion.take().get()) {
                    if (result instanceof IndexWarning warning) {
                        warnings.add(warning);
                    } else if (result instanceof ObjectSymbols module) {
                        module.release.ifPresent(release -> byRelease.computeIfAbsent(release,
                                r -> new ArrayList<>()).add(module.object));
                    }
                }
                if (done % 64 == 0 || done == total) {
                    progress.onProgress("reading modules", done, total);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while indexing modules", e);
        } catch (ExecutionException e) {
            throw WorkerFailure.unwrap(e);
        } finally {
            pool.shutdownNow();
        }
        byRelease.values().forEach(Collections::sort);
        return byRelease;
    }

    private static int priority(Path file) {
        String path = file.toString();
        return path.contains("/updates/") ? 2 : path.contains("/extra/") ? 1 : 0;
    }

    /**
     * Reads the copies of one module in order of preference until one is readable; returns what each attempt
     * gave (warnings, then the symbols) and a duplicate-module warning for each copy not needed.
     */
    private static List<Object> readFirstReadable(List<Path> copies, String name, KernelIndexBuilder builder) {
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            Object result = readModule(copies.get(i), name, builder);
            results.add(result);
            if (result instanceof ObjectSymbols) {
                for (Path unused : copies.subList(i + 1, copies.size())) {
                    results.add(IndexWarning.of("duplicate-module", unused, "module " + name + " also in "
                            + copies.get(i) + "; using that one"));
                }
                break;
            }
        }
        return results;
    }

    /** Reads one module; returns its symbols (already added to the builder) or a warning. */
    private static Object readModule(Path file, String name, KernelIndexBuilder builder) {
        return readModule(file, name, builder, () -> file.getFileName().toString().endsWith(".ko")
                ? ElfSymbolFile.read(file) : ElfSymbolFile.read(file, InputFiles.read(file)));
    }

    /**
     * Reads one module from wherever {@code elf} gets it (a file, a package entry); returns its symbols (already
     * added to the builder, only the summary kept) or a warning naming {@code file}.
     */
    static Object readModule(Path file, String name, KernelIndexBuilder builder,
            java.util.function.Supplier<ElfSymbolFile> elfReader) {
        try {
            ElfSymbolFile elf = elfReader.get();
            ObjectSymbols symbols = ElfSymbolSource.module(elf, name);
            builder.add(symbols);
            // Drop the columns (the builder interned them); keep what the caller needs.
            ObjectSymbols summary = new ObjectSymbols(symbols.object, file, 0);
            summary.release = symbols.release;
            return summary;
        } catch (KlpException e) {
            return IndexWarning.of("skipped-module", file, "skipped: " + messageWithoutPath(e, file));
        } catch (UncheckedIOException e) {
            return IndexWarning.of("skipped-module", file, "skipped: " + KlpException.reason(e.getCause()));
        }
    }

    private static String messageWithoutPath(KlpException e, Path file) {
        String message = e.getMessage();
        String prefix = file + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
