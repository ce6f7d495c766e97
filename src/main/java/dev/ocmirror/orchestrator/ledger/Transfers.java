package dev.ocmirror.orchestrator.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The ledger's transfers: what one set of media carries to one enclave, from plan to import. */
public final class Transfers {

  private static final String COLUMNS = "id, enclave, lineage_id, target_generation, generations, bytes,"
      + " manifest_sha256, state, created_at, created_by, lifecycle_id, sequence, media_path";

  private final JdbcTemplate jdbc;
  private final Enclaves enclaves;

  public Transfers(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.enclaves = new Enclaves(dataSource);
  }

  public void record(Transfer transfer) {
    enclaves.ensure(transfer.enclave(), transfer.createdAt());
    jdbc.update("insert into ledger_transfer (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", transfer.id(),
        transfer.enclave(), transfer.lineageId(), transfer.target(), joined(transfer.generations()), transfer.bytes(),
        transfer.manifestSha256(), transfer.state().name(), Timestamp.from(transfer.createdAt()), transfer.createdBy(),
        transfer.lifecycleId(), transfer.sequence(), transfer.mediaPath());
  }

  /** Moves a transfer on; refuses an unknown transfer. */
  public void moveTo(String id, TransferState state) {
    moveTo(id, state, null);
  }

  /** Moves a transfer on and keeps the digest of the manifest staged for it. */
  public void moveTo(String id, TransferState state, String manifestSha256) {
    int rows = jdbc.update("update ledger_transfer set state = ?, manifest_sha256 = coalesce(?, manifest_sha256) where id = ?",
        state.name(), manifestSha256, id);
    if (rows != 1) {
      throw new LedgerException("No transfer " + id + " in the ledger");
    }
  }

  public Optional<Transfer> find(String id) {
    return jdbc.query("select " + COLUMNS + " from ledger_transfer where id = ?", Transfers::row, id).stream().findFirst();
  }

  /** The transfer, which a step of its delivery needs to exist. */
  public Transfer get(String id) {
    return find(id).orElseThrow(() -> new IllegalStateException("No transfer " + id + " in the ledger"));
  }

  /** On a receiving station, media received again under a new lifecycle: they are read from there now. */
  public void receivedAgain(String id, String lifecycleId, String mediaPath, String manifestSha256) {
    jdbc.update("update ledger_transfer set lifecycle_id = ?, media_path = ?, manifest_sha256 = ?, state = ? where id = ?",
        lifecycleId, mediaPath, manifestSha256, TransferState.RECEIVED.name(), id);
  }

  /** The sequence number the next transfer to an enclave gets: one more than the last one planned. */
  public int nextSequence(String enclave) {
    Integer last = jdbc.queryForObject("select max(sequence) from ledger_transfer where enclave = ?", Integer.class, enclave);
    return last == null ? 1 : last + 1;
  }

  /** The last transfer to an enclave whose media were handed over or went further, if any. */
  public Optional<Transfer> lastHandedOver(String enclave) {
    return jdbc.query("select " + COLUMNS + " from ledger_transfer where enclave = ? and sequence is not null and state in"
        + " ('STAGED', 'RECEIVED', 'IMPORTED', 'REFUSED_AT_STATION') order by sequence desc", Transfers::row, enclave)
        .stream().findFirst();
  }

  /** The transfers planned for one lifecycle, one per enclave it delivers to. */
  public List<Transfer> ofLifecycle(String lifecycleId) {
    return jdbc.query("select " + COLUMNS + " from ledger_transfer where lifecycle_id = ? order by enclave", Transfers::row,
        lifecycleId);
  }

  private static Transfer row(ResultSet rs, int row) throws SQLException {
    return new Transfer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), split(rs.getString(5)),
        rs.getLong(6), rs.getString(7), TransferState.valueOf(rs.getString(8)), rs.getTimestamp(9).toInstant(),
        rs.getString(10), rs.getString(11), (Integer) rs.getObject(12), rs.getString(13));
  }

  private static String joined(List<Integer> generations) {
    return String.join(",", generations.stream().map(String::valueOf).toList());
  }

  private static List<Integer> split(String generations) {
    return generations.isBlank() ? List.of() : Arrays.stream(generations.split(",")).map(Integer::valueOf).toList();
  }
}
