package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledPlatformsTest {

    private static final String JUNOS_LIKE = """
            {"sectionTerminators": ["}"], "idempotentCommands": [{"lineage": [{"startsWith": "set system host-name "}]}]}
            """;

    @TempDir
    Path temp;

    @Test
    void should_load_every_platform_file_when_they_are_packaged_in_a_jar() throws IOException {
        Path jar = temp.resolve("platforms.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("remediation/"));
            out.putNextEntry(new JarEntry(BundledPlatforms.FOLDER));
            writeEntry(out, BundledPlatforms.FOLDER + "junos_like.json", JUNOS_LIKE);
            writeEntry(out, BundledPlatforms.FOLDER + "minimal.json", "{}");
            writeEntry(out, BundledPlatforms.FOLDER + "README.txt", "not a platform");
        }

        Map<String, PlatformRules> platforms = load(jar);

        assertThat(platforms).containsOnlyKeys("junos_like", "minimal");
    }

    @Test
    void should_offer_a_new_platform_when_its_rules_file_is_added_to_the_folder() throws IOException {
        Path folder = Files.createDirectories(temp.resolve(BundledPlatforms.FOLDER));
        Files.writeString(folder.resolve("junos_like.json"), JUNOS_LIKE);

        PlatformRules rules = load(temp).get("junos_like");

        assertThat(rules.isNotConfig("}")).isTrue();
        assertThat(rules.idempotentKeys(ConfigNode.root(), "set system host-name r1")).isNotEmpty();
    }

    @Test
    void should_fail_naming_the_file_when_a_platform_file_has_an_unknown_rule() throws IOException {
        Path folder = Files.createDirectories(temp.resolve(BundledPlatforms.FOLDER));
        Files.writeString(folder.resolve("broken.json"), "{\"idempotentCommandz\": []}");

        assertThatThrownBy(() -> load(temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken.json")
                .hasMessageContaining("idempotentCommandz");
    }

    @Test
    void should_fail_naming_the_file_when_a_negation_rule_has_two_forms() throws IOException {
        Path folder = Files.createDirectories(temp.resolve(BundledPlatforms.FOLDER));
        Files.writeString(folder.resolve("ambiguous.json"),
                "{\"negations\": [{\"lineage\": [{\"startsWith\": \"x\"}], \"use\": \"y\", \"useDefault\": true}]}");

        assertThatThrownBy(() -> load(temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ambiguous.json")
                .hasMessageContaining("exactly one of use, useDefault, keepWords");
    }

    private static Map<String, PlatformRules> load(Path classpathEntry) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classpathEntry.toUri().toURL()}, null)) {
            return BundledPlatforms.load(loader);
        }
    }

    private static void writeEntry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
