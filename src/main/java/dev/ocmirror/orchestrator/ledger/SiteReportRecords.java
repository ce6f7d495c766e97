package dev.ocmirror.orchestrator.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The site reports recorded for each enclave, as they came (the signed text) and as the service read them. On the
 * connected side they are what a disconnected site told; on a receiving station, what it wrote.
 */
public final class SiteReportRecords {

  private static final String COLUMNS = "enclave, report_number, created_at, recorded_at, recorded_by, lineage_id,"
      + " generations, cache_blob_set_digest, cache_complete, proven, transfer_id, transfer_sequence, transfer_outcome,"
      + " report_json, signature";

  private final JdbcTemplate jdbc;
  private final Enclaves enclaves;

  public SiteReportRecords(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.enclaves = new Enclaves(dataSource);
  }

  /**
   * @param proven the report's blob-set digest equals the one the ledger computes for its generations, and its
   *     cache holds every blob of them
   * @param reportText the report as it was carried, whose signature was checked
   */
  public record RecordedReport(String enclave, long number, Instant createdAt, Instant recordedAt, String recordedBy,
      String lineageId, List<Integer> generations, String cacheBlobSetDigest, boolean cacheComplete, boolean proven,
      String transferId, Integer transferSequence, String transferOutcome, String reportText, String signature) {

    public RecordedReport {
      generations = List.copyOf(generations);
    }
  }

  public void record(RecordedReport report) {
    enclaves.ensure(report.enclave(), report.recordedAt());
    jdbc.update("insert into ledger_site_report (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        report.enclave(), report.number(), Timestamp.from(report.createdAt()), Timestamp.from(report.recordedAt()),
        report.recordedBy(), report.lineageId(), String.join(",", report.generations().stream().map(String::valueOf).toList()),
        report.cacheBlobSetDigest(), report.cacheComplete(), report.proven(), report.transferId(), report.transferSequence(),
        report.transferOutcome(), report.reportText(), report.signature());
  }

  /** The newest report of an enclave by its number. */
  public Optional<RecordedReport> latest(String enclave) {
    return jdbc.query("select " + COLUMNS + " from ledger_site_report where enclave = ? order by report_number desc",
        SiteReportRecords::row, enclave).stream().findFirst();
  }

  /** The newest report of an enclave that answers a transfer. */
  public Optional<RecordedReport> answering(String enclave, String transferId) {
    return jdbc.query("select " + COLUMNS + " from ledger_site_report where enclave = ? and transfer_id = ?"
        + " order by report_number desc", SiteReportRecords::row, enclave, transferId).stream().findFirst();
  }

  /** The report of an enclave with this number, if recorded. */
  public Optional<RecordedReport> find(String enclave, long number) {
    return jdbc.query("select " + COLUMNS + " from ledger_site_report where enclave = ? and report_number = ?",
        SiteReportRecords::row, enclave, number).stream().findFirst();
  }

  /** The number of the newest report of an enclave; 0 when there is none. */
  public long lastNumber(String enclave) {
    Long last = jdbc.queryForObject("select max(report_number) from ledger_site_report where enclave = ?", Long.class, enclave);
    return last == null ? 0 : last;
  }

  private static RecordedReport row(ResultSet rs, int row) throws SQLException {
    String generations = rs.getString(7);
    return new RecordedReport(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
        rs.getString(5), rs.getString(6), generations.isBlank() ? List.of()
            : Arrays.stream(generations.split(",")).map(Integer::valueOf).toList(),
        rs.getString(8), rs.getBoolean(9), rs.getBoolean(10), rs.getString(11), (Integer) rs.getObject(12), rs.getString(13),
        rs.getString(14), rs.getString(15));
  }
}
