package dev.ocmirror.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A lineage of three months: month 1 mirrors base+alpha, month 2 adds beta, month 3 adds gamma. Each
 * generation archives only blobs no earlier one archived, as oc-mirror does.
 */
class TransferPlannerTest {

  static final Set<String> BASE = Set.of("sha256:base-layer", "sha256:alpha-manifest", "sha256:alpha-config", "sha256:alpha-layer");
  static final Set<String> BETA = Set.of("sha256:beta-manifest", "sha256:beta-config", "sha256:beta-layer");
  static final Set<String> GAMMA = Set.of("sha256:gamma-manifest", "sha256:gamma-config", "sha256:gamma-layer");

  final TransferPlanner planner = new TransferPlanner();
  final Map<Integer, GenerationContent> lineage = Map.of(
      1, new GenerationContent(1, BASE, 24_000),
      2, new GenerationContent(2, BETA, 5_500),
      3, new GenerationContent(3, GAMMA, 6_000));

  static Set<String> union(Set<?>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<?> set : sets) {
      set.forEach(item -> all.add((String) item));
    }
    return all;
  }

  static Map<String, Long> sizes(Set<String> blobs) {
    Map<String, Long> sizes = new HashMap<>();
    blobs.forEach(blob -> sizes.put(blob, 1000L));
    return sizes;
  }

  @Test
  void anEnclaveThatHoldsEverythingEarlierGetsOnlyTheNewGeneration() {
    Set<String> needed = union(BASE, BETA, GAMMA);
    TransferPlan plan = planner.plan("site-a", 3, lineage, needed, sizes(needed), union(BASE, BETA), Set.of(1, 2));
    assertThat(plan.verdict()).isEqualTo(TransferPlan.Verdict.PROVEN_COMPLETE);
    assertThat(plan.generations()).containsExactly(3);
    assertThat(plan.bytes()).isEqualTo(6_000);
    assertThat(plan.reasons().get(0)).contains("only generation 3 is carried");
    assertThat(plan.alternatives()).extracting(TransferPlan.Alternative::bytes).containsExactly(35_500L, 10_000L);
  }

  @Test
  void anEnclaveThatMissedAMonthGetsThatMonthToo() {
    Set<String> needed = union(BASE, BETA, GAMMA);
    TransferPlan plan = planner.plan("site-b", 3, lineage, needed, sizes(needed), BASE, Set.of(1));
    assertThat(plan.verdict()).isEqualTo(TransferPlan.Verdict.PROVEN_COMPLETE);
    assertThat(plan.generations()).containsExactly(2, 3);
    assertThat(plan.bytes()).isEqualTo(11_500);
    assertThat(plan.reasons()).anySatisfy(reason -> assertThat(reason).contains("generation 2 was never imported here"));
  }

  @Test
  void aMissedMonthWhoseContentIsNoLongerNeededIsNotCarried() {
    // Month 3 dropped beta again: nothing of generation 2 is needed.
    Set<String> needed = union(BASE, GAMMA);
    TransferPlan plan = planner.plan("site-b", 3, lineage, needed, sizes(needed), BASE, Set.of(1));
    assertThat(plan.generations()).containsExactly(3);
  }

  @Test
  void aLostCacheIsSeenOnTheHostNotTrustedFromTheLedger() {
    Set<String> needed = union(BASE, BETA, GAMMA);
    TransferPlan plan = planner.plan("site-c", 3, lineage, needed, sizes(needed), Set.of(), Set.of(1, 2));
    assertThat(plan.verdict()).isEqualTo(TransferPlan.Verdict.PROVEN_COMPLETE);
    assertThat(plan.generations()).containsExactly(1, 2, 3);
    assertThat(plan.reasons()).anySatisfy(reason -> assertThat(reason)
        .contains("ledger records generation 1 as imported").contains("not in the cache"));
  }

  @Test
  void contentInNoArchiveMakesThePlanNotProvableAndOffersAlternatives() {
    Set<String> needed = union(BASE, GAMMA, Set.of("sha256:rebuilt-catalog"));
    TransferPlan plan = planner.plan("site-d", 3, lineage, needed, sizes(needed), BASE, Set.of(1, 2));
    assertThat(plan.verdict()).isEqualTo(TransferPlan.Verdict.NOT_PROVABLE);
    assertThat(plan.missingBlobs()).isEqualTo(1);
    assertThat(plan.reasons().get(0)).contains("sha256:rebuilt-catalog").contains("new baseline");
    assertThat(plan.alternatives()).extracting(TransferPlan.Alternative::kind)
        .containsExactly(TransferPlan.AlternativeKind.CUMULATIVE, TransferPlan.AlternativeKind.NEW_BASELINE);
  }

  @Test
  void aGapInTheLineageIsRefused() {
    Map<Integer, GenerationContent> gap = Map.of(1, lineage.get(1), 3, lineage.get(3));
    assertThatThrownBy(() -> planner.plan("site-a", 3, gap, GAMMA, sizes(GAMMA), Set.of(), Set.of()))
        .hasMessageContaining("Generation 2").hasMessageContaining("gap");
    assertThatThrownBy(() -> planner.plan("site-a", 4, lineage, GAMMA, sizes(GAMMA), Set.of(), Set.of()))
        .hasMessageContaining("Generation 4");
  }

  @Test
  void eachEnclaveGetsItsOwnPlan() {
    Set<String> needed = union(BASE, BETA, GAMMA);
    List<TransferPlan> plans = List.of(
        planner.plan("current", 3, lineage, needed, sizes(needed), union(BASE, BETA), Set.of(1, 2)),
        planner.plan("behind", 3, lineage, needed, sizes(needed), BASE, Set.of(1)));
    assertThat(plans).extracting(TransferPlan::generations).containsExactly(List.of(3), List.of(2, 3));
  }
}
