package io.ringcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD users install is the one the model generates: the copies committed beside the model and in the
 * Helm chart must equal what the Fabric8 CRD generator makes of {@link CacheCluster} now.
 */
class CommittedCrdTest {

    static final String FILE_NAME = "cacheclusters.ringcache.io-v1.yml";
    static final Path REPO = Path.of(System.getProperty("ringcache.repo.dir", ".."));
    static final Path GENERATED_DIR = Path.of("target", "generated-crd");

    static String generated;

    @BeforeAll
    static void generate() throws IOException {
        Files.createDirectories(GENERATED_DIR);
        new CRDGenerator()
            .customResourceClasses(CacheCluster.class)
            .forCRDVersions("v1")
            .inOutputDir(GENERATED_DIR.toFile())
            .generate();
        generated = Files.readString(GENERATED_DIR.resolve(FILE_NAME));
    }

    @Test
    void committedCrdIsTheGeneratedOne() throws IOException {
        assertSameAsGenerated(REPO.resolve("crd").resolve(FILE_NAME));
    }

    @Test
    void chartCrdIsTheGeneratedOne() throws IOException {
        assertSameAsGenerated(REPO.resolve("charts/ringcache-operator/crds").resolve(FILE_NAME));
    }

    private static void assertSameAsGenerated(Path committed) throws IOException {
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
            .as("%s is stale: copy crd/%s over it", committed, GENERATED_DIR.resolve(FILE_NAME))
            .isEqualTo(generated);
    }
}
