package dev.ocmirror.orchestrator.control;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service's own records of requests, approvals and the custody of media (db/migration V6). Written by the
 * lifecycle's listeners and steps in the engine's transaction, read by {@link Controls} where an effect happens.
 */
public final class ControlRecords {

  private final JdbcTemplate jdbc;

  public ControlRecords(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  /** Who started a lifecycle; {@code requestedBy} is null when the schedule started it. */
  public record Request(String processInstanceId, String processKey, String requestedBy, Instant requestedAt) {
  }

  public void recordRequest(Request request) {
    jdbc.update("insert into lifecycle_request (process_instance_id, process_key, requested_by, requested_at)"
        + " values (?, ?, ?, ?)", request.processInstanceId(), request.processKey(), request.requestedBy(),
        Timestamp.from(request.requestedAt()));
  }

  public Optional<Request> request(String processInstanceId) {
    return jdbc.query("select process_instance_id, process_key, requested_by, requested_at from lifecycle_request"
        + " where process_instance_id = ?", (rs, row) -> new Request(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getTimestamp(4).toInstant()), processInstanceId).stream().findFirst();
  }

  /** A change manager's decision on a subject (a transfer id, or a rollback's process instance id). */
  public record Approval(String subject, String subjectSha256, boolean approved, String decidedBy, Instant decidedAt,
      String reviewComment, String taskId) {
  }

  public void recordApproval(Approval approval) {
    jdbc.update("insert into approval (subject, subject_sha256, approved, decided_by, decided_at, review_comment, task_id)"
        + " values (?, ?, ?, ?, ?, ?, ?)", approval.subject(), approval.subjectSha256(), approval.approved(),
        approval.decidedBy(), Timestamp.from(approval.decidedAt()), approval.reviewComment(), approval.taskId());
  }

  /** The latest decision on a subject. */
  public Optional<Approval> latestApproval(String subject) {
    return jdbc.query("select subject, subject_sha256, approved, decided_by, decided_at, review_comment, task_id"
        + " from approval where subject = ? order by id desc", (rs, row) -> new Approval(rs.getString(1), rs.getString(2),
            rs.getBoolean(3), rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)), subject)
        .stream().findFirst();
  }

  public enum CustodyKind { STAGED, HANDED_OVER, RECEIVED, SEAL_BROKEN, VERIFIED, VERIFICATION_FAILED }

  /** One step in the custody of a transfer's media. */
  public record CustodyEvent(String transferId, CustodyKind kind, String actor, Instant at, String manifestSha256,
      String detail) {
  }

  public void recordCustody(CustodyEvent event) {
    jdbc.update("insert into custody_event (transfer_id, kind, actor, at, manifest_sha256, detail) values (?, ?, ?, ?, ?, ?)",
        event.transferId(), event.kind().name(), event.actor(), Timestamp.from(event.at()), event.manifestSha256(),
        event.detail());
  }

  /** The custody of a transfer, in the order it was recorded. */
  public List<CustodyEvent> custody(String transferId) {
    return jdbc.query("select transfer_id, kind, actor, at, manifest_sha256, detail from custody_event where transfer_id = ?"
        + " order by id", (rs, row) -> new CustodyEvent(rs.getString(1), CustodyKind.valueOf(rs.getString(2)),
            rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)), transferId);
  }

  /** The media handed over: what the receiver must read off them again. */
  public record Handover(String transferId, String actor, Instant at, String mediaId, String sealNumber, String courier,
      String manifestSha256) {
  }

  public void recordHandover(Handover handover) {
    jdbc.update("insert into custody_event (transfer_id, kind, actor, at, manifest_sha256, detail, media_id, seal_number,"
        + " courier) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", handover.transferId(), CustodyKind.HANDED_OVER.name(),
        handover.actor(), Timestamp.from(handover.at()), handover.manifestSha256(), "handed over to courier "
            + handover.courier(), handover.mediaId(), handover.sealNumber(), handover.courier());
  }

  /** The handover of the media staged last, if they have been handed over since. */
  public Optional<Handover> latestHandover(String transferId) {
    Optional<Handover> latest = Optional.empty();
    for (Handover row : jdbc.query("select transfer_id, actor, at, media_id, seal_number, courier, manifest_sha256, kind"
        + " from custody_event where transfer_id = ? and kind in ('STAGED', 'HANDED_OVER') order by id",
        (rs, row) -> rs.getString(8).equals(CustodyKind.STAGED.name()) ? null : new Handover(rs.getString(1), rs.getString(2),
            rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), transferId)) {
      latest = Optional.ofNullable(row);
    }
    return latest;
  }

  /** Who handed over the media staged last, if they have been handed over since. */
  public Optional<String> handedOverBy(String transferId) {
    return latestHandover(transferId).map(Handover::actor);
  }
}
