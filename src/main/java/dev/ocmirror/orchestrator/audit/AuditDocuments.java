package dev.ocmirror.orchestrator.audit;

import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.util.HtmlUtils;

/** The audit record as a CSV timeline and as a printable page. */
final class AuditDocuments {

  private AuditDocuments() {
  }

  static String csv(AuditRecord record) {
    StringBuilder csv = new StringBuilder("time,kind,actor,process,activity,what,outcome,values\r\n");
    for (AuditRecord.Event event : record.timeline()) {
      csv.append(String.join(",", cell(event.at()), cell(event.kind()), cell(event.actor()), cell(event.process()),
          cell(event.activity()), cell(event.what()), cell(event.outcome()), cell(values(event.values())))).append("\r\n");
    }
    return csv.toString();
  }

  private static String values(Map<String, String> values) {
    return values.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining("; "));
  }

  /** RFC 4180 quoting, and a leading quote for text a spreadsheet would run as a formula. */
  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }

  static String html(AuditRecord record, AuditSeals.Seal seal) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Audit of lifecycle ")
        .append(e(record.lifecycle().id())).append("</title><style>body{font-family:sans-serif;margin:2em}"
            + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px;vertical-align:top;"
            + "font-size:12px}th{background:#eee}pre{white-space:pre-wrap;margin:0}</style></head><body>");
    AuditRecord.Lifecycle lifecycle = record.lifecycle();
    html.append("<h1>").append(e(lifecycle.process())).append(" ").append(e(lifecycle.id())).append("</h1>");
    html.append("<p>Outcome: <b>").append(e(lifecycle.outcome())).append("</b></p>");
    if (lifecycle.note() != null) {
      html.append("<p>").append(e(lifecycle.note())).append("</p>");
    }
    html.append("<p>Requested by <b>").append(e(lifecycle.requestedBy())).append("</b>, started ").append(e(lifecycle.started()))
        .append(", ended ").append(e(lifecycle.ended())).append(" (engine state ").append(e(lifecycle.state()))
        .append(", end events ").append(e(lifecycle.endedAt())).append(")</p>");
    html.append("<p>Seal: ").append(seal == null ? "not sealed yet" : "record sha256 " + e(seal.recordSha256()) + ", sealed "
        + e(seal.sealedAt()) + ", chain " + e(seal.chainSha256())).append("</p>");
    AuditRecord.Generation generation = record.generation();
    html.append("<h2>Content</h2><p>Lineage ").append(e(generation.lineage())).append(", generation ")
        .append(e(generation.number())).append(", oc-mirror ").append(e(generation.ocMirrorVersion()))
        .append(", configuration ").append(e(generation.configDigest())).append("</p><pre>").append(e(generation.configDiff()))
        .append("</pre><table><tr><th>archive</th><th>bytes</th><th>sha256</th></tr>");
    generation.archives().forEach(archive -> html.append("<tr><td>").append(e(archive.file())).append("</td><td>")
        .append(archive.size()).append("</td><td>").append(e(archive.sha256())).append("</td></tr>"));
    html.append("</table><h2>Deliveries</h2><table><tr><th>enclave</th><th>outcome</th><th>carried</th><th>approved by</th><th>custody</th>"
        + "<th>verified</th><th>ended at</th></tr>");
    for (AuditRecord.Delivery delivery : record.deliveries()) {
      AuditRecord.Custody custody = delivery.custody();
      html.append("<tr><td>").append(e(delivery.enclave())).append("</td><td><b>").append(e(delivery.outcome()))
          .append("</b></td><td>generations ").append(e(delivery.generations()))
          .append(", ").append(e(delivery.bytes())).append(" bytes<br>").append(e(delivery.plan())).append("</td><td>")
          .append(e(delivery.approver())).append(" (approved: ").append(e(delivery.approved())).append(")<br>")
          .append(e(delivery.reviewComment())).append("</td><td>");
      if (custody != null) {
        html.append("media ").append(e(custody.mediaId())).append(", seal ").append(e(custody.sealNumber())).append(", courier ")
            .append(e(custody.courier())).append("<br>handed over by ").append(e(custody.handedOverBy())).append(" at ")
            .append(e(custody.handedOverAt())).append("<br>received by ").append(e(custody.receivedBy())).append(" at ")
            .append(e(custody.receivedAt())).append(", seal intact: ").append(e(custody.sealIntact()));
      }
      html.append("</td><td>manifest ").append(e(delivery.manifestSha256())).append("<br>files verified ")
          .append(e(delivery.verifiedFiles())).append(", images verified ").append(e(delivery.imagesVerified()))
          .append("</td><td>").append(e(delivery.endedAt())).append("</td></tr>");
    }
    html.append("</table><h2>Cluster resources</h2><table><tr><th>enclave</th><th>cluster</th><th>generation</th>"
        + "<th>resources</th><th>applied</th></tr>");
    record.clusterResources().forEach(applied -> html.append("<tr><td>").append(e(applied.enclave())).append("</td><td>")
        .append(e(applied.cluster())).append("</td><td>").append(applied.generation()).append(applied.rollback() ? " (rollback)" : "")
        .append("</td><td>").append(e(applied.resources())).append("</td><td>").append(e(applied.appliedAt())).append("</td></tr>"));
    html.append("</table><h2>Timeline</h2><table><tr><th>time</th><th>who</th><th>what</th><th>outcome</th><th>values</th></tr>");
    for (AuditRecord.Event event : record.timeline()) {
      html.append("<tr><td>").append(e(event.at())).append("</td><td>").append(event.actor() == null ? "system" : e(event.actor()))
          .append("</td><td>").append(e(event.process())).append(": ").append(e(event.what())).append("</td><td>")
          .append(e(event.outcome())).append("</td><td><pre>").append(e(values(event.values()))).append("</pre></td></tr>");
    }
    return html.append("</table></body></html>").toString();
  }

  private static String e(Object value) {
    return value == null ? "" : HtmlUtils.htmlEscape(value.toString());
  }
}
