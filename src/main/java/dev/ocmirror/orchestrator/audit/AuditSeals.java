package dev.ocmirror.orchestrator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Seals each ended lifecycle's audit record: its digest, chained to the previous seal's, in the service's own
 * table. Verifying rebuilds every sealed record from the history as it is now: a changed history row, a
 * removed record or an edited seal breaks the chain at a named lifecycle.
 */
public class AuditSeals {

  static final ObjectMapper CANONICAL = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();
  private static final String GENESIS = "0".repeat(64);
  /**
   * The version of {@link AuditRecord} this build writes and can rebuild. Raise it whenever the record changes, so
   * that an older seal is reported as such instead of as tampering.
   */
  static final int RECORD_FORMAT = 2;

  private final JdbcTemplate jdbc;
  private final AuditTrail trail;

  public AuditSeals(DataSource dataSource, AuditTrail trail) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.trail = trail;
  }

  public record Seal(long sequence, String lifecycleId, String recordSha256, String chainSha256, Instant sealedAt,
      int recordFormat) {
  }

  public record Problem(long sequence, String lifecycleId, String problem) {
  }

  /**
   * @param intact the chain is whole and every record this version can rebuild is unchanged
   * @param notRebuilt seals of an earlier record format: their place in the chain is checked, their records cannot
   *     be rebuilt by this version (compare them with the export made before the upgrade)
   */
  public record Verification(boolean intact, int sealsChecked, List<Problem> problems, List<Problem> notRebuilt) {
  }

  public static String digest(AuditRecord record) {
    try {
      return Sha256.hex(CANONICAL.writeValueAsBytes(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the audit record of " + record.lifecycle().id(), e);
    }
  }

  /** From format 2 on the chain covers the format too, so that relabelling a seal as older breaks the chain. */
  private static String chain(String previous, String lifecycleId, String recordSha256, int recordFormat) {
    String link = previous + "\n" + lifecycleId + "\n" + recordSha256 + (recordFormat == 1 ? "" : "\n" + recordFormat);
    return Sha256.hex(link.getBytes(StandardCharsets.UTF_8));
  }

  /** Seals every ended lifecycle not sealed yet, in the order they ended; returns how many. */
  public int sealPending() {
    Set<String> sealed = new HashSet<>(jdbc.queryForList("select process_instance_id from audit_seal", String.class));
    int count = 0;
    for (HistoricProcessInstance ended : trail.endedLifecycles()) {
      if (sealed.contains(ended.getId())) {
        continue;
      }
      Optional<AuditRecord> record = trail.of(ended.getId());
      if (record.isEmpty()) {
        continue;
      }
      List<Seal> seals = seals();
      Seal last = seals.isEmpty() ? null : seals.get(seals.size() - 1);
      String recordSha256 = digest(record.get());
      String chainSha256 = chain(last == null ? GENESIS : last.chainSha256(), ended.getId(), recordSha256, RECORD_FORMAT);
      try {
        jdbc.update("insert into audit_seal (sequence_number, process_instance_id, record_sha256, chain_sha256, sealed_at,"
            + " record_format) values (?, ?, ?, ?, ?, ?)", last == null ? 1 : last.sequence() + 1, ended.getId(), recordSha256,
            chainSha256, Timestamp.from(Instant.now()), RECORD_FORMAT);
        count++;
      } catch (DuplicateKeyException anotherNode) {
        // Another node sealed at the same moment; the next round continues from its seal.
        return count;
      }
    }
    return count;
  }

  public List<Seal> seals() {
    return jdbc.query("select sequence_number, process_instance_id, record_sha256, chain_sha256, sealed_at, record_format"
        + " from audit_seal order by sequence_number", (rs, row) -> new Seal(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getInt(6)));
  }

  public Optional<Seal> sealOf(String lifecycleId) {
    return seals().stream().filter(seal -> seal.lifecycleId().equals(lifecycleId)).findFirst();
  }

  public Verification verify() {
    List<Problem> problems = new ArrayList<>();
    List<Problem> notRebuilt = new ArrayList<>();
    String previous = GENESIS;
    long expected = 1;
    List<Seal> seals = seals();
    for (Seal seal : seals) {
      if (seal.sequence() != expected) {
        problems.add(new Problem(seal.sequence(), seal.lifecycleId(), "seal " + expected + " is missing from the chain"));
      }
      expected = seal.sequence() + 1;
      if (!chain(previous, seal.lifecycleId(), seal.recordSha256(), seal.recordFormat()).equals(seal.chainSha256())) {
        problems.add(new Problem(seal.sequence(), seal.lifecycleId(), "the seal does not follow from the one before: the seal"
            + " table was changed"));
      }
      previous = seal.chainSha256();
      if (seal.recordFormat() != RECORD_FORMAT) {
        notRebuilt.add(new Problem(seal.sequence(), seal.lifecycleId(), "sealed in record format " + seal.recordFormat()
            + ", which this version does not rebuild; compare it with the export made before the upgrade"));
        continue;
      }
      Optional<AuditRecord> record = trail.of(seal.lifecycleId());
      if (record.isEmpty()) {
        problems.add(new Problem(seal.sequence(), seal.lifecycleId(), "the lifecycle's history is gone (deleted, or removed"
            + " by history retention)"));
      } else if (!digest(record.get()).equals(seal.recordSha256())) {
        problems.add(new Problem(seal.sequence(), seal.lifecycleId(), "the history of this lifecycle changed after it was"
            + " sealed at " + seal.sealedAt()));
      }
    }
    return new Verification(problems.isEmpty(), seals.size(), problems, notRebuilt);
  }
}
