package dev.ocmirror.orchestrator.audit;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.ClusterApply;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The audit, read-only, for compliance and administrators (enforced in {@code WebSecurityConfiguration}): one
 * lifecycle as JSON, as a CSV timeline and as a printable page; the history of an enclave's clusters; and the
 * verification of the seals.
 */
@RestController
@RequestMapping("/api/audit")
public class AuditController {

  private final AuditTrail trail;
  private final AuditSeals seals;
  private final ClusterApplies applies;
  private final Enclaves enclaves;
  private final HistoryService history;
  private final IdentityService identity;

  public AuditController(AuditTrail trail, AuditSeals seals, ClusterApplies applies, Enclaves enclaves, HistoryService history,
      IdentityService identity) {
    this.trail = trail;
    this.seals = seals;
    this.applies = applies;
    this.enclaves = enclaves;
    this.history = history;
    this.identity = identity;
  }

  /**
   * @param outcome DELIVERED, ROLLED_BACK, REJECTED, ABANDONED, FAILED or RUNNING
   * @param enclaves each enclave's outcome, for a baseline or an update
   */
  public record LifecycleSummary(String id, String process, String requestedBy, java.time.Instant started,
      java.time.Instant ended, Outcome outcome, Map<String, Outcome> enclaves, String state, String sealSha256) {
  }

  @GetMapping("/lifecycles")
  public List<LifecycleSummary> lifecycles() {
    return whole(() -> {
      List<LifecycleSummary> all = new ArrayList<>();
      for (String key : Processes.LIFECYCLES) {
        for (HistoricProcessInstance instance : history.createHistoricProcessInstanceQuery().processDefinitionKey(key).list()) {
          AuditTrail.Outcomes outcomes = trail.outcomes(instance);
          all.add(new LifecycleSummary(instance.getId(), key, instance.getStartUserId(), instance.getStartTime().toInstant(),
              instance.getEndTime() == null ? null : instance.getEndTime().toInstant(), outcomes.lifecycle(),
              outcomes.enclaves(), instance.getState(), seals.sealOf(instance.getId()).map(AuditSeals.Seal::recordSha256)
                  .orElse(null)));
        }
      }
      all.sort(Comparator.comparing(LifecycleSummary::started).reversed());
      return all;
    });
  }

  @GetMapping(value = "/lifecycles/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public AuditRecord lifecycle(@PathVariable String id) {
    return record(id);
  }

  // The content type is fixed rather than negotiated: a browser or a script asks for the file by its name.
  @GetMapping("/lifecycles/{id}/timeline.csv")
  public ResponseEntity<String> timelineCsv(@PathVariable String id) {
    return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
        .header("Content-Disposition", "attachment; filename=\"lifecycle-" + id + ".csv\"")
        .body(AuditDocuments.csv(record(id)));
  }

  @GetMapping("/lifecycles/{id}/report.html")
  public ResponseEntity<String> report(@PathVariable String id) {
    AuditRecord record = record(id);
    return ResponseEntity.ok().contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
        .body(AuditDocuments.html(record, whole(() -> seals.sealOf(id)).orElse(null)));
  }

  /** Per cluster of an enclave: what is live, since when, from which lifecycle, and every apply before. */
  @GetMapping("/enclaves/{name}")
  public Map<String, Object> enclave(@PathVariable String name) {
    List<ClusterApply> applied = applies.history(name);
    Map<String, Object> clusters = new LinkedHashMap<>();
    whole(() -> {
      for (ClusterApply apply : applied) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("lineage", apply.lineageId());
        entry.put("generation", apply.generation());
        entry.put("appliedAt", apply.appliedAt());
        entry.put("rollback", apply.rollback());
        entry.put("resources", apply.resources());
        HistoricProcessInstance instance = apply.processInstanceId() == null ? null
            : history.createHistoricProcessInstanceQuery().processInstanceId(apply.processInstanceId()).singleResult();
        entry.put("lifecycle", instance == null ? apply.processInstanceId() : instance.getRootProcessInstanceId());
        @SuppressWarnings("unchecked")
        Map<String, Object> cluster = (Map<String, Object>) clusters.computeIfAbsent(apply.cluster(),
            key -> new LinkedHashMap<>(Map.of("history", new ArrayList<>())));
        @SuppressWarnings("unchecked")
        List<Object> past = (List<Object>) cluster.get("history");
        past.add(entry);
        cluster.put("live", entry);
      }
      return null;
    });
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("enclave", name);
    result.put("imported", enclaves.lineagesOf(name).stream().collect(java.util.stream.Collectors.toMap(lineage -> lineage,
        lineage -> enclaves.importedGenerations(name, lineage).stream().sorted().toList())));
    result.put("clusters", clusters);
    return result;
  }

  @GetMapping("/seals/verify")
  public AuditSeals.Verification verify() {
    return whole(seals::verify);
  }

  private AuditRecord record(String id) {
    return whole(() -> trail.of(id)).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
        "No lifecycle " + id));
  }

  /**
   * Reads history without the caller's engine authorizations: the audit must see every row to be complete and to
   * verify seals; who may read it at all is decided before, at the endpoint.
   */
  private <T> T whole(Supplier<T> read) {
    Authentication caller = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      return read.get();
    } finally {
      if (caller != null) {
        identity.setAuthentication(caller);
      }
    }
  }
}
