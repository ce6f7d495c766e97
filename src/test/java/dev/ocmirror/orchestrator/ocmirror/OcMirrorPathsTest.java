package dev.ocmirror.orchestrator.ocmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OcMirrorPathsTest {

  @Test
  void refusesPathsThatOcMirrorWouldRefuseBeforeRunningIt() {
    for (String path : new String[] {"/srv/mirror/logs-2025", "/data/release-images", "/x/helm/y", "/tmp/old-delete-me"}) {
      assertThatThrownBy(() -> OcMirrorPaths.checkWorkspace("The mirror workspace", path)).as(path)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("internal oc-mirror keyword");
    }
  }

  @Test
  void refusesRelativeAndEscapingPaths() {
    assertThatThrownBy(() -> OcMirrorPaths.checkWorkspace("The archive directory", "mirror/ws"))
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> OcMirrorPaths.checkWorkspace("The archive directory", "/srv/../etc"))
        .hasMessageContaining("..");
  }

  @Test
  void acceptsAPlainWorkspace() {
    assertThat(OcMirrorPaths.checkWorkspace("The mirror workspace", "/srv/mirror/workspace/")).isEqualTo("/srv/mirror/workspace");
  }
}
