package dev.ocmirror.orchestrator.ocmirror.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageSetConfigurationReaderTest {

  static final String MONTH = """
      kind: ImageSetConfiguration
      apiVersion: mirror.openshift.io/v2alpha1
      archiveSize: 8
      mirror:
        platform:
          channels:
          - name: stable-4.19
            minVersion: 4.19.2
            maxVersion: 4.19.2
          graph: true
        operators:
        - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.19
          packages:
          - name: web-terminal
            channels:
            - name: fast
              minVersion: 1.11.0
              maxVersion: 1.12.0
        additionalImages:
        - name: registry.redhat.io/ubi9/ubi:latest
        blockedImages:
        - name: ".*/debug-.*"
      """;

  final ImageSetConfigurationReader reader = new ImageSetConfigurationReader();

  private InvalidImageSetConfigurationException refused(String yaml) {
    try {
      reader.read(yaml);
    } catch (InvalidImageSetConfigurationException e) {
      return e;
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void readsARealisticConfiguration() {
    ImageSetConfiguration config = reader.read(MONTH);
    assertThat(config.archiveSize()).isEqualTo(8);
    assertThat(config.graph()).isTrue();
    assertThat(config.channels()).singleElement().satisfies(c -> assertThat(c.maxVersion()).isEqualTo("4.19.2"));
    assertThat(config.operators().get(0).packages().get(0).channels().get(0).name()).isEqualTo("fast");
    assertThat(config.additionalImages()).extracting(ImageSetConfiguration.AdditionalImage::name)
        .containsExactly("registry.redhat.io/ubi9/ubi:latest");
  }

  @Test
  void anOldApiVersionWithOnlyV2FieldsLoadsLikeInOcMirror() {
    assertThat(reader.read(MONTH.replace("v2alpha1", "v1alpha2")).additionalImages()).hasSize(1);
  }

  @Test
  void aV1ConfigurationWithStorageConfigIsNamedAsSuch() {
    assertThat(refused(MONTH + "storageConfig:\n  local:\n    path: ./oc-mirror-workspace\n").problems())
        .singleElement().asString().contains("oc-mirror v1 (v1alpha2)").contains("Remove storageConfig");
  }

  @Test
  void removedBundlesAreExplained() {
    String bundles = MONTH.replace("    - name: web-terminal\n", "    - name: web-terminal\n      bundles:\n      - name: x\n");
    assertThat(refused(bundles).problems()).singleElement().asString()
        .contains("mirror.operators[0].packages[0].bundles").contains("CLID-303");
  }

  @Test
  void unknownFieldsDuplicateKeysAndWrongKindAreRefused() {
    assertThat(refused(MONTH.replace("  graph: true", "  graph: true\n    grpah: true")).problems()).singleElement().asString()
        .contains("mirror.platform").contains("unknown field \"grpah\"");
    assertThat(refused(MONTH.replace("archiveSize: 8", "archiveSize: 8\narchiveSize: 9")).problems()).singleElement().asString()
        .contains("Duplicate field 'archiveSize'");
    assertThat(refused(MONTH.replace("kind: ImageSetConfiguration", "kind: DeleteImageSetConfiguration")).problems())
        .singleElement().asString().contains("kind: must be ImageSetConfiguration");
    assertThat(refused("").problems()).containsExactly("the configuration is empty");
    assertThat(refused("- a\n- b\n").problems()).singleElement().asString().contains("YAML mapping");
    assertThat(refused("kind: [unclosed").problems()).singleElement().asString().contains("not valid YAML");
    assertThat(refused("kind: ImageSetConfiguration\n").problems()).containsExactly("mirror: is required");
  }

  @Test
  void valuesYamlWouldSilentlyChangeAreRefused() {
    assertThat(refused(MONTH.replace("minVersion: 4.19.2", "minVersion: 4.20")).problems()).singleElement().asString()
        .contains("mirror.platform.channels[0].minVersion").contains("quote the value").contains("4.2");
    assertThat(refused(MONTH.replace("graph: true", "graph: \"true\"")).problems()).singleElement().asString()
        .contains("mirror.platform.graph").contains("expected true or false");
    assertThat(refused(MONTH.replace("archiveSize: 8", "archiveSize: 4.5")).problems()).singleElement().asString()
        .contains("archiveSize").contains("whole number");
    String aliased = MONTH.replace("  - name: registry.redhat.io/ubi9/ubi:latest",
        "  - name: &ubi registry.redhat.io/ubi9/ubi:latest\n  - name: *ubi");
    assertThat(refused(aliased).problems()).singleElement().asString().contains("alias *ubi");
    assertThat(reader.read(MONTH.replace("minVersion: 4.19.2", "minVersion: \"4.20\"")).channels().get(0).minVersion())
        .isEqualTo("4.20");
  }

  @Test
  void everyValidationProblemIsReportedAtOnce() {
    String broken = """
        kind: ImageSetConfiguration
        archiveSize: 0
        mirror:
          platform:
            architectures: [amd64]
            platforms: [{os: linux, architecture: arm64}]
            channels:
            - name: stable-4.19
              minVersion: four
            - name: stable-4.19
          operators:
          - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.19
            packages:
            - name: web-terminal
              minVersion: 1.0.0
              channels:
              - name: fast
                maxVersion: 1.2.0
              - name: fast
            - name: web-terminal
          - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.19
          additionalImages:
          - name: ""
          blockedImages:
          - name: "([unclosed"
        """;
    assertThat(refused(broken).problems()).hasSize(10).anySatisfy(p -> assertThat(p).startsWith("archiveSize"))
        .anySatisfy(p -> assertThat(p).contains("architectures (deprecated) and platforms"))
        .anySatisfy(p -> assertThat(p).contains("'four' is not a semantic version"))
        .anySatisfy(p -> assertThat(p).contains("channel stable-4.19 is listed twice"))
        .anySatisfy(p -> assertThat(p).contains("package level and channel level"))
        .anySatisfy(p -> assertThat(p).contains("channel fast is listed twice"))
        .anySatisfy(p -> assertThat(p).contains("package web-terminal is listed twice"))
        .anySatisfy(p -> assertThat(p).contains("catalog registry.redhat.io/redhat/redhat-operator-index:v4.19 is listed twice"))
        .anySatisfy(p -> assertThat(p).startsWith("mirror.additionalImages[0].name"))
        .anySatisfy(p -> assertThat(p).contains("not a valid regular expression"));
  }

  @Test
  void theDigestFollowsMeaningNotFormatting() {
    String reformatted = """
        # the same month, written differently
        apiVersion: mirror.openshift.io/v2alpha1
        kind: ImageSetConfiguration
        mirror:
          additionalImages: [{name: "registry.redhat.io/ubi9/ubi:latest"}]
          blockedImages: [{name: ".*/debug-.*"}]
          operators:
          - packages:
            - channels: [{maxVersion: 1.12.0, minVersion: 1.11.0, name: fast}]
              name: web-terminal
            catalog: registry.redhat.io/redhat/redhat-operator-index:v4.19
          platform: {graph: true, channels: [{name: stable-4.19, minVersion: 4.19.2, maxVersion: 4.19.2}]}
        archiveSize: 8
        """;
    String digest = ImageSetConfigurationReader.digest(reader.read(MONTH));
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(ImageSetConfigurationReader.digest(reader.read(reformatted))).isEqualTo(digest);
    assertThat(ImageSetConfigurationReader.digest(reader.read(MONTH.replace("1.12.0", "1.13.0")))).isNotEqualTo(digest);
    assertThat(ImageSetConfigurationReader.digest(reader.read(MONTH.replace("archiveSize: 8", "archiveSize: 9")))).isNotEqualTo(digest);
  }

  @Test
  void whatOcMirrorWouldRefuseIsRefusedHereWithItsPlace() {
    assertThat(refused(MONTH + "---\nkind: ImageSetConfiguration\nmirror: {}\n").problems()).singleElement().asString()
        .contains("more than one YAML document").contains("line 24");
    assertThat(refused("kind: ImageSetConfiguration\nmirror: {}\n").problems()).singleElement().asString()
        .startsWith("mirror: selects nothing");
    assertThat(refused(MONTH.replace("registry.redhat.io/ubi9/ubi:latest", "\"registry.redhat.io/ubi9/ubi:latest; rm -rf /\""))
        .problems()).singleElement().asString().startsWith("mirror.additionalImages[0].name: ").contains("is not an image reference");
    assertThat(refused(MONTH.replace("registry.redhat.io/ubi9/ubi:latest", "\"quay.io/$(curl evil)/x:v1\"")).problems())
        .singleElement().asString().contains("is not an image reference");
    assertThat(refused(MONTH.replace("registry.redhat.io/ubi9/ubi:latest", "\"quay.io/a/b:v1\\nquay.io/c/d:v1\"")).problems())
        .singleElement().asString().contains("\\u000a");
    assertThat(refused(MONTH.replace("\".*/debug-.*\"", "\".*(?=debug)\"")).problems()).singleElement().asString()
        .contains("mirror.blockedImages[0].name").contains("(?=").contains("RE2");
    assertThat(refused(MONTH.replace("\".*/debug-.*\"", "\"(a)\\\\1\"")).problems()).singleElement().asString().contains("RE2");
    assertThat(refused(MONTH.replace("\".*/debug-.*\"", "\"a++\"")).problems()).singleElement().asString().contains("RE2");
    assertThat(reader.read(MONTH.replace("\".*/debug-.*\"", "\"^quay\\\\.io/.+-(debug|test):v[0-9]+$\"")).blockedImages())
        .as("what RE2 takes passes").hasSize(1);
    assertThat(refused(MONTH.replace("    - name: stable-4.19", "    - name: stable-4.19\n      type: rhcos")).problems())
        .containsExactly("mirror.platform.channels[0].type: 'rhcos' is not one of [ocp, okd]");
    assertThat(refused(MONTH.replace("  - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.19",
        "  - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.19\n    targetCatalog: My/Catalog:v1\n    targetTag: \"bad tag\""))
        .problems()).containsExactly(
            "mirror.operators[0].targetCatalog: 'My/Catalog:v1' is not a repository path (lower-case, no tag or digest)",
            "mirror.operators[0].targetTag: 'bad tag' is not a tag");
    assertThat(refused(MONTH.replace("  - name: registry.redhat.io/ubi9/ubi:latest",
        "  - name: registry.redhat.io/ubi9/ubi:latest\n    platforms:\n    - architecture: arm64")).problems())
        .containsExactly("mirror.additionalImages[0].platforms[0].os: is required");
    assertThat(refused(MONTH.replace("    - name: stable-4.19", "    - name: stable-4.19").replace("  graph: true",
        "  graph: true\n    architectures: [amd64, sparc]")).problems())
        .containsExactly("mirror.platform.architectures[1]: 'sparc' is not one of [amd64, arm64, multi, ppc64le, s390x]");
    assertThat(refused(MONTH + "  helm:\n    repositories:\n    - name: charts\n      charts:\n      - version: 1.0.0\n").problems())
        .containsExactly("mirror.helm.repositories[0].url: an http(s):// or oci:// URL is required",
            "mirror.helm.repositories[0].charts[0].name: is required");
  }
}
