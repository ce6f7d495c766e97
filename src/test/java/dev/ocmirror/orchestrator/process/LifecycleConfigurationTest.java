package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** What the service says at start about its lifecycle configuration. */
class LifecycleConfigurationTest {

  private final LifecycleProperties nothing = new LifecycleProperties(null, null, null, null, null, null, null);

  @Test
  void nothingConfiguredOnlyWarns() {
    assertThat(new LifecycleConfiguration().hosts(nothing, new MockEnvironment())).isNotNull();
  }

  @Test
  void aKeyThatMovedStopsTheStartRatherThanBeingIgnored() {
    MockEnvironment old = new MockEnvironment().withProperty("orchestrator.mirror.auth-file", "/etc/ocmirror/auth.json");
    assertThatThrownBy(() -> new LifecycleConfiguration().hosts(nothing, old))
        .hasMessage("orchestrator.mirror.auth-file has moved to orchestrator.mirror.flags.authfile");
  }

  @Test
  void halfAConfigurationStopsTheStartWithEveryProblem() {
    LifecycleProperties half = new LifecycleProperties(new LifecycleProperties.Mirror(
        new LifecycleProperties.HostAccess(true, null, null, null, null, null), false, "/usr/bin/oc-mirror", "relative", null,
        "/srv/runs", "/srv/store", 1, null, null), null, null, null, null, null, null);
    assertThatThrownBy(() -> new LifecycleConfiguration().hosts(half, new MockEnvironment()))
        .hasMessageStartingWith("The lifecycle configuration has 5 problem(s):")
        .hasMessageContaining("orchestrator.mirror.workspace-root: must be an absolute path")
        .hasMessageContaining("orchestrator.mirror.cache-directory: is required");
  }
}
