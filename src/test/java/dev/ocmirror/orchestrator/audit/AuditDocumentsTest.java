package dev.ocmirror.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** What a compliance reader gets in the CSV and the printed page, whatever text the people and the runs wrote. */
class AuditDocumentsTest {

  private static final Instant T = Instant.parse("2026-11-02T10:15:30Z");

  private static AuditRecord record(String comment, Map<String, String> values) {
    AuditRecord.Lifecycle lifecycle = new AuditRecord.Lifecycle("L-1", "mirror-update", "olivia", T, T.plusSeconds(60),
        Outcome.DELIVERED, "COMPLETED", List.of("delivered"), null);
    AuditRecord.Generation generation = new AuditRecord.Generation("lin", 3, "sha256:cfg", "+ 1 image", "4.18.0", 3, 3,
        List.of(new AuditRecord.Archive("mirror_000001.tar", 4096, "ab12")));
    AuditRecord.Custody custody = new AuditRecord.Custody("USB-0042", "S-991", "Dana", "op", T, "op2", T, "USB-0042", "S-991",
        true);
    AuditRecord.Delivery delivery = new AuditRecord.Delivery("north", "D-1", Outcome.DELIVERED, "T-1", List.of(2, 3), 8192L,
        "PROVEN COMPLETE", true, "cm", comment, "cafe", custody, 2, 3, List.of("enclaveUpdated"));
    AuditRecord.ClusterApplied applied = new AuditRecord.ClusterApplied("north", "prod", 3, List.of("idms.yaml"), T, true);
    AuditRecord.Event event = new AuditRecord.Event(T, "person", "cm", "enclave-delivery", "reviewTransfer",
        "completed Review the transfer", null, values);
    return new AuditRecord(lifecycle, generation, List.of(delivery), List.of(applied), List.of(event));
  }

  @Test
  void thePageShowsTheDecisionsAndEscapesWhatPeopleWrote() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("approved", "true");
    values.put("reviewComment", "<script>alert(1)</script>");
    String html = AuditDocuments.html(record("<img src=x onerror=alert(1)>", values), null);

    assertThat(html).contains("Outcome: <b>DELIVERED</b>", "<h2>Timeline</h2>", "USB-0042", "Dana", "handed over by",
        "Seal: not sealed yet", "mirror_000001.tar", "3 (rollback)", "approved=true")
        .doesNotContain("<script>", "<img src=x")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void thePageNamesTheSealWhenThereIsOne() {
    String html = AuditDocuments.html(record("ok", Map.of()), new AuditSeals.Seal(7, "L-1", "rec", "chain", T, 2));
    assertThat(html).contains("record sha256 <span>rec</span>", "chain <span>chain</span>").doesNotContain("not sealed yet");
  }

  @Test
  void theCsvQuotesEveryValueKeepsLineBreaksAndDisarmsFormulas() throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("reviewComment", "=HYPERLINK(\"http://evil\")\nsecond line, with \"quotes\"");
    String csv = AuditDocuments.csv(record("ok", values));

    assertThat(csv).startsWith("time,kind,actor,process,activity,what,outcome,values\r\n").contains("\"cm\"");
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(csv)).getRecords();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("actor")).isEqualTo("cm");
    assertThat(rows.get(0).get("outcome")).isEmpty();
    assertThat(rows.get(0).get("values"))
        .isEqualTo("reviewComment==HYPERLINK(\"http://evil\")\nsecond line, with \"quotes\"");

    values.clear();
    values.put("x", "1");
    AuditRecord formulaActor = record("ok", values);
    AuditRecord.Event event = formulaActor.timeline().get(0);
    AuditRecord withFormula = new AuditRecord(formulaActor.lifecycle(), formulaActor.generation(), formulaActor.deliveries(),
        formulaActor.clusterResources(), List.of(new AuditRecord.Event(event.at(), event.kind(), "@SUM(A1)", event.process(),
            event.activity(), "-1+1", event.outcome(), event.values())));
    CSVRecord row = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(AuditDocuments.csv(withFormula))).getRecords().get(0);
    assertThat(row.get("actor")).isEqualTo("'@SUM(A1)");
    assertThat(row.get("what")).isEqualTo("'-1+1");
  }
}
