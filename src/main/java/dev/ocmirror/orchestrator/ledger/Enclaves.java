package dev.ocmirror.orchestrator.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The enclaves the ledger knows and the generations imported into each one's oc-mirror cache. */
public final class Enclaves {

  private final JdbcTemplate jdbc;

  public Enclaves(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  public void ensure(String name, Instant at) {
    Integer count = jdbc.queryForObject("select count(*) from ledger_enclave where name = ?", Integer.class, name);
    if (count == null || count == 0) {
      jdbc.update("insert into ledger_enclave (name, created_at) values (?, ?)", name, Timestamp.from(at));
    }
  }

  /**
   * Records that a generation was imported into the enclave's cache, at this moment: again when it is imported again
   * (after a lost cache), so that what a transfer carried is found imported since its plan.
   */
  public void recordImport(String enclave, String lineageId, int number, Instant at) {
    ensure(enclave, at);
    int updated = jdbc.update("update ledger_enclave_generation set imported_at = ? where enclave = ? and lineage_id = ?"
        + " and generation_number = ?", Timestamp.from(at), enclave, lineageId, number);
    if (updated == 0) {
      jdbc.update("insert into ledger_enclave_generation (enclave, lineage_id, generation_number, imported_at)"
          + " values (?, ?, ?, ?)", enclave, lineageId, number, Timestamp.from(at));
    }
  }

  public Set<Integer> importedGenerations(String enclave, String lineageId) {
    return new HashSet<>(jdbc.queryForList("select generation_number from ledger_enclave_generation where enclave = ?"
        + " and lineage_id = ?", Integer.class, enclave, lineageId));
  }

  /** When each generation of a lineage was last imported into an enclave's cache. */
  public Map<Integer, Instant> importTimes(String enclave, String lineageId) {
    Map<Integer, Instant> times = new TreeMap<>();
    jdbc.query("select generation_number, imported_at from ledger_enclave_generation where enclave = ? and lineage_id = ?",
        rs -> {
          times.put(rs.getInt(1), rs.getTimestamp(2).toInstant());
        }, enclave, lineageId);
    return times;
  }

  /** The generations of a lineage imported into an enclave's cache at or after a moment. */
  public Set<Integer> importedSince(String enclave, String lineageId, Instant since) {
    return new HashSet<>(jdbc.queryForList("select generation_number from ledger_enclave_generation where enclave = ?"
        + " and lineage_id = ? and imported_at >= ?", Integer.class, enclave, lineageId, Timestamp.from(since)));
  }

  /** For every enclave known to the ledger, the generations of this lineage imported into its cache. */
  public Map<String, Set<Integer>> importedByEnclave(String lineageId) {
    Map<String, Set<Integer>> imported = new TreeMap<>();
    jdbc.query("select name from ledger_enclave", rs -> {
      imported.put(rs.getString(1), new HashSet<>());
    });
    jdbc.query("select enclave, generation_number from ledger_enclave_generation where lineage_id = ?", rs -> {
      imported.get(rs.getString(1)).add(rs.getInt(2));
    }, lineageId);
    return imported;
  }

  /** The lineage an enclave imported last. */
  public Optional<String> latestLineage(String enclave) {
    return jdbc.queryForList("select lineage_id from ledger_enclave_generation where enclave = ? order by imported_at desc",
        String.class, enclave).stream().findFirst();
  }

  /** The lineages of which an enclave has imported anything. */
  public List<String> lineagesOf(String enclave) {
    return jdbc.queryForList("select distinct lineage_id from ledger_enclave_generation where enclave = ?", String.class, enclave);
  }
}
