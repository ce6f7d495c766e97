package dev.ocmirror.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {

  @Test
  void keepsWhatAnEnclaveStillLacksAndTheNewestForRollback() {
    Map<String, Set<Integer>> imported = Map.of("site-a", Set.of(1, 2, 3, 4), "site-b", Set.of(1, 2));
    assertThat(new Retention(2).deletable(List.of(1, 2, 3, 4, 5), imported)).containsExactly(1, 2);
  }

  @Test
  void anEnclaveThatImportedNothingKeepsEverything() {
    Map<String, Set<Integer>> imported = Map.of("site-a", Set.of(1, 2, 3), "new-site", Set.of());
    assertThat(new Retention(1).deletable(List.of(1, 2, 3), imported)).isEmpty();
  }

  @Test
  void withoutEnclavesOnlyTheRollbackWindowIsKept() {
    assertThat(new Retention(3).deletable(List.of(1, 2, 3, 4, 5), Map.of())).containsExactly(1, 2);
    assertThatThrownBy(() -> new Retention(0)).hasMessageContaining("at least");
  }
}
