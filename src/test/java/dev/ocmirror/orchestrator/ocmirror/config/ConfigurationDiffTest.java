package dev.ocmirror.orchestrator.ocmirror.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.ocmirror.config.ConfigurationDiff.Area;
import dev.ocmirror.orchestrator.ocmirror.config.ConfigurationDiff.Change;
import dev.ocmirror.orchestrator.ocmirror.config.ConfigurationDiff.Kind;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConfigurationDiffTest {

  final ImageSetConfigurationReader reader = new ImageSetConfigurationReader();
  final ImageSetConfiguration august = reader.read(ImageSetConfigurationReaderTest.MONTH);

  @Test
  void theListingNamesEveryItemAddedRemovedOrChangedWhereTheSummaryShortens() {
    StringBuilder tools = new StringBuilder("  - name: registry.redhat.io/ubi9/ubi:latest\n");
    for (int i = 1; i <= 5; i++) {
      tools.append("  - name: quay.io/demo/tool-").append(i).append(":v1\n");
    }
    ConfigurationDiff diff = ConfigurationDiff.between(august, reader.read(ImageSetConfigurationReaderTest.MONTH
        .replace("  - name: registry.redhat.io/ubi9/ubi:latest\n", tools.toString())));
    assertThat(diff.summary()).contains("5 additional images added").contains(", ...");
    assertThat(diff.listing()).startsWith("Added (5):\n")
        .contains("  + additional image quay.io/demo/tool-1:v1\n", "  + additional image quay.io/demo/tool-5:v1")
        .doesNotContain("Removed", "Changed");
  }

  @Test
  void aBaselineListsEverythingItHolds() {
    String listing = ConfigurationDiff.contentOf(august).listing();
    assertThat(listing).startsWith("Added (").contains("  + platform channel stable-4.19",
        "  + operator package registry.redhat.io/redhat/redhat-operator-index:v4.19 web-terminal",
        "  + additional image registry.redhat.io/ubi9/ubi:latest").doesNotContain("Changed", "architectures");
  }

  @Test
  void identicalConfigurationsHaveNoDiff() {
    ConfigurationDiff diff = ConfigurationDiff.between(august, reader.read(ImageSetConfigurationReaderTest.MONTH));
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.summary()).isEqualTo("No change to the configuration.");
  }

  @Test
  void aMonthlyChangeReadsAsAChangeManagerNeedsIt() throws Exception {
    String september = ImageSetConfigurationReaderTest.MONTH
        .replace("      maxVersion: 4.19.2", "      maxVersion: 4.19.9")
        .replace("        maxVersion: 1.12.0", "        maxVersion: 1.13.0")
        .replace("    - name: web-terminal\n", "    - name: cluster-logging\n    - name: loki-operator\n    - name: web-terminal\n")
        .replace("  - name: registry.redhat.io/ubi9/ubi:latest\n", "  - name: registry.redhat.io/ubi9/ubi-minimal:latest\n");
    ConfigurationDiff diff = ConfigurationDiff.between(august, reader.read(september));

    assertThat(diff.changes()).containsExactly(
        new Change(Area.PLATFORM_CHANNEL, Kind.CHANGED, "stable-4.19", "4.19.2..4.19.2", "4.19.2..4.19.9"),
        new Change(Area.OPERATOR_PACKAGE, Kind.ADDED, "registry.redhat.io/redhat/redhat-operator-index:v4.19 cluster-logging",
            null, "channel head"),
        new Change(Area.OPERATOR_PACKAGE, Kind.ADDED, "registry.redhat.io/redhat/redhat-operator-index:v4.19 loki-operator",
            null, "channel head"),
        new Change(Area.PACKAGE_CHANNEL, Kind.CHANGED, "registry.redhat.io/redhat/redhat-operator-index:v4.19 web-terminal fast",
            "1.11.0..1.12.0", "1.11.0..1.13.0"),
        new Change(Area.ADDITIONAL_IMAGE, Kind.ADDED, "registry.redhat.io/ubi9/ubi-minimal:latest", null,
            "registry.redhat.io/ubi9/ubi-minimal:latest"),
        new Change(Area.ADDITIONAL_IMAGE, Kind.REMOVED, "registry.redhat.io/ubi9/ubi:latest", "registry.redhat.io/ubi9/ubi:latest",
            null));
    assertThat(diff.summary()).contains("platform channel stable-4.19: 4.19.2..4.19.2 -> 4.19.2..4.19.9")
        .contains("2 operator packages added (registry.redhat.io/redhat/redhat-operator-index:v4.19 cluster-logging")
        .contains("1 additional image removed (registry.redhat.io/ubi9/ubi:latest)");
    assertThat(new ObjectMapper().writeValueAsString(diff)).contains("\"area\":\"PACKAGE_CHANNEL\"");
  }

  @Test
  void catalogsGraphArchiveSizeAndBlockedImages() {
    String other = ImageSetConfigurationReaderTest.MONTH
        .replace("  graph: true", "  graph: false")
        .replace("archiveSize: 8", "archiveSize: 16")
        .replace("  - name: \".*/debug-.*\"", "  - name: \".*/test-.*\"")
        .replace("redhat-operator-index:v4.19", "redhat-operator-index:v4.20");
    ConfigurationDiff diff = ConfigurationDiff.between(august, reader.read(other));
    assertThat(diff.changes()).extracting(Change::area, Change::kind).contains(
        org.assertj.core.groups.Tuple.tuple(Area.ARCHIVE_SIZE, Kind.CHANGED),
        org.assertj.core.groups.Tuple.tuple(Area.GRAPH, Kind.CHANGED),
        org.assertj.core.groups.Tuple.tuple(Area.OPERATOR_CATALOG, Kind.ADDED),
        org.assertj.core.groups.Tuple.tuple(Area.OPERATOR_CATALOG, Kind.REMOVED),
        org.assertj.core.groups.Tuple.tuple(Area.BLOCKED_IMAGE, Kind.ADDED),
        org.assertj.core.groups.Tuple.tuple(Area.BLOCKED_IMAGE, Kind.REMOVED));
    assertThat(ConfigurationDiff.between(august, reader.read(other)).changes())
        .isEqualTo(ConfigurationDiff.between(august, reader.read(other)).changes());
  }
}
