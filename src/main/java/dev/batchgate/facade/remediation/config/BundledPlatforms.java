package dev.batchgate.facade.remediation.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds every {@code remediation/platforms/<platform>.json} on the classpath, in folders and in jars, so that
 * adding a platform is adding a file. When two classpath entries hold the same platform, the first one wins.
 */
final class BundledPlatforms {

    static final String FOLDER = "remediation/platforms/";
    private static final String SUFFIX = ".json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    private BundledPlatforms() {}

    static Map<String, PlatformRules> load(ClassLoader classLoader) {
        Map<String, PlatformRules> platforms = new TreeMap<>();
        try {
            Enumeration<URL> folders = classLoader.getResources(FOLDER);
            while (folders.hasMoreElements()) {
                URL folder = folders.nextElement();
                switch (folder.getProtocol()) {
                    case "file" -> loadFolder(Path.of(folder.toURI()), platforms);
                    case "jar" -> loadJar(folder, platforms);
                    default -> throw new IllegalStateException("cannot list platform files in " + folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the platform files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the platform files", e);
        }
        return platforms;
    }

    static PlatformRules read(String source, InputStream json) {
        try {
            return JSON.readValue(json, PlatformRules.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("invalid platform rules in " + source + ": " + e.getMessage(), e);
        }
    }

    private static void loadFolder(Path folder, Map<String, PlatformRules> platforms) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                String platform = platformName(file.getFileName().toString());
                if (!platforms.containsKey(platform)) {
                    try (InputStream json = Files.newInputStream(file)) {
                        platforms.put(platform, read(file.toString(), json));
                    }
                }
            }
        }
    }

    private static void loadJar(URL folder, Map<String, PlatformRules> platforms) throws IOException {
        JarURLConnection connection = (JarURLConnection) folder.openConnection();
        // a cached JarFile is shared with the class loader, which must not see it closed
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                boolean platformFile = name.startsWith(FOLDER) && name.endsWith(SUFFIX)
                        && name.indexOf('/', FOLDER.length()) < 0;
                String platform = platformFile ? platformName(name.substring(FOLDER.length())) : null;
                if (platform != null && !platforms.containsKey(platform)) {
                    try (InputStream json = jar.getInputStream(entry)) {
                        platforms.put(platform, read(folder + name, json));
                    }
                }
            }
        }
    }

    private static String platformName(String fileName) {
        return fileName.substring(0, fileName.length() - SUFFIX.length());
    }
}
