package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.ledger.ClusterApply;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollback goes back to the generation of the same lineage that was live before the live one. */
class PlanRollbackTest {

  @TempDir
  Path dir;

  @Test
  void goesBackToThePreviousGenerationOfTheLiveLineage() {
    StepBench bench = new StepBench(dir);
    PlanRollback plan = new PlanRollback(bench.properties, bench.applies);
    assertThatThrownBy(() -> plan.plan(StepBench.ENCLAVE)).isInstanceOfSatisfying(DecisionNeeded.class, decision ->
        assertThat(decision.reason()).isEqualTo(DecisionNeeded.Reason.NOTHING_TO_ROLL_BACK));

    Instant start = Instant.parse("2026-10-01T00:00:00Z");
    bench.generations.createLineage("old-lineage", StepBench.REQUESTER, start);
    bench.generations.createLineage("lineage", StepBench.REQUESTER, start);
    apply(bench, "old-lineage", 4, start);
    apply(bench, "lineage", 1, start.plusSeconds(60));
    assertThatThrownBy(() -> plan.plan(StepBench.ENCLAVE)).hasMessageContaining("none earlier of it was ever applied");

    apply(bench, "lineage", 2, start.plusSeconds(120));
    PlanRollback.RollbackPlan rollback = plan.plan(StepBench.ENCLAVE);
    assertThat(rollback.lineage()).isEqualTo("lineage");
    assertThat(rollback.fromGeneration()).isEqualTo(2);
    assertThat(rollback.toGeneration()).isEqualTo(1);
    assertThat(rollback.summary()).contains("back from generation 2").contains("to generation 1").contains("idms-oc-mirror.yaml");
    assertThatThrownBy(() -> plan.plan("south")).hasMessageContaining("No enclave named 'south'");
  }

  private static void apply(StepBench bench, String lineage, int generation, Instant at) {
    bench.applies.record(new ClusterApply(StepBench.ENCLAVE, "prod", lineage, generation, List.of("idms-oc-mirror.yaml"), at,
        "delivery-" + generation, false));
  }
}
