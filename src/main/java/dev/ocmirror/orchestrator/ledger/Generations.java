package dev.ocmirror.orchestrator.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's lineages and their generations: each generation's archives, the blobs they carry, the manifests'
 * references and the images. Writes of blobs and references go in batches: a month's generation holds tens of
 * thousands of blobs.
 */
public final class Generations {

  private static final int BATCH = 1000;

  private final JdbcTemplate jdbc;
  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate transactions;
  private final TransactionTemplate ownTransaction;

  public Generations(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.named = new NamedParameterJdbcTemplate(jdbc);
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /**
   * Runs ledger writes in a transaction of their own, committed when they return whatever becomes of the caller's:
   * for what must stay recorded because it already happened on a host (archives moved into the store) even if the
   * step that did it dies before it ends.
   */
  public <T> T committed(Supplier<T> writes) {
    return ownTransaction.execute(status -> writes.get());
  }

  public void createLineage(String lineageId, String createdBy, Instant at) {
    jdbc.update("insert into ledger_lineage (id, created_at, created_by) values (?, ?, ?)", lineageId, Timestamp.from(at), createdBy);
  }

  public boolean lineageExists(String lineageId) {
    Integer count = jdbc.queryForObject("select count(*) from ledger_lineage where id = ?", Integer.class, lineageId);
    return count != null && count > 0;
  }

  public Optional<Integer> last(String lineageId) {
    return Optional.ofNullable(jdbc.queryForObject("select max(number) from ledger_generation where lineage_id = ?",
        Integer.class, lineageId));
  }

  /** Records a generation, its archives, their blobs, manifest references and images in one transaction. */
  public long record(NewGeneration generation, List<ArchiveInventory> archives, Map<String, String> images) {
    Long id = transactions.execute(status -> {
      GeneratedKeyHolder key = new GeneratedKeyHolder();
      named.update("insert into ledger_generation (lineage_id, number, config_digest, config_text, oc_mirror_version, outcome,"
          + " store_path, created_at) values (:lineage, :number, :digest, :text, :version, :outcome, :store, :at)",
          new MapSqlParameterSource()
              .addValue("lineage", generation.lineageId()).addValue("number", generation.number())
              .addValue("digest", generation.configDigest()).addValue("text", generation.configText())
              .addValue("version", generation.ocMirrorVersion()).addValue("outcome", generation.outcome())
              .addValue("store", generation.storePath()).addValue("at", Timestamp.from(generation.createdAt())),
          key, new String[] {"id"});
      long generationId = key.getKey().longValue();
      for (ArchiveInventory archive : archives) {
        GeneratedKeyHolder archiveKey = new GeneratedKeyHolder();
        named.update("insert into ledger_archive (generation_id, file_name, size_bytes, sha256, entry_count)"
            + " values (:generation, :name, :size, :sha, :entries)", new MapSqlParameterSource()
                .addValue("generation", generationId).addValue("name", archive.fileName()).addValue("size", archive.size())
                .addValue("sha", archive.sha256()).addValue("entries", archive.entryCount()),
            archiveKey, new String[] {"id"});
        long archiveId = archiveKey.getKey().longValue();
        insertMissingBlobs(archive.blobs());
        List<Object[]> links = archive.blobs().stream().map(b -> new Object[] {archiveId, b.digest()}).toList();
        jdbc.batchUpdate("insert into ledger_archive_blob (archive_id, digest) values (?, ?)", links);
        insertMissingReferences(archive.manifestReferences());
      }
      List<Object[]> imageRows = images.entrySet().stream()
          .map(image -> new Object[] {generationId, image.getKey(), image.getValue()}).toList();
      jdbc.batchUpdate("insert into ledger_image (generation_id, reference, manifest_digest) values (?, ?, ?)", imageRows);
      return generationId;
    });
    return id;
  }

  private void insertMissingBlobs(List<ArchiveInventory.ArchivedBlob> blobs) {
    Map<String, Long> sizes = new HashMap<>();
    blobs.forEach(blob -> sizes.put(blob.digest(), blob.size()));
    Set<String> known = existing("select digest from ledger_blob where digest in (:digests)", sizes.keySet());
    List<Object[]> rows = new ArrayList<>();
    sizes.forEach((digest, size) -> {
      if (!known.contains(digest)) {
        rows.add(new Object[] {digest, size});
      }
    });
    jdbc.batchUpdate("insert into ledger_blob (digest, size_bytes) values (?, ?)", rows);
  }

  private void insertMissingReferences(Map<String, List<String>> references) {
    Set<String> known = existing("select distinct manifest_digest from ledger_manifest_reference where manifest_digest in (:digests)",
        references.keySet());
    List<Object[]> rows = new ArrayList<>();
    references.forEach((manifest, referenced) -> {
      if (!known.contains(manifest)) {
        new HashSet<>(referenced).forEach(digest -> rows.add(new Object[] {manifest, digest}));
      }
    });
    jdbc.batchUpdate("insert into ledger_manifest_reference (manifest_digest, referenced_digest) values (?, ?)", rows);
  }

  private Set<String> existing(String sql, Collection<String> digests) {
    Set<String> found = new HashSet<>();
    List<String> all = new ArrayList<>(digests);
    for (int from = 0; from < all.size(); from += BATCH) {
      found.addAll(named.queryForList(sql, Map.of("digests", all.subList(from, Math.min(all.size(), from + BATCH))), String.class));
    }
    return found;
  }

  /** The blobs each generation of a lineage archived, with its archive bytes: the planner's view. */
  public Map<Integer, GenerationContent> lineageContent(String lineageId) {
    Map<Integer, Set<String>> blobs = new TreeMap<>();
    Map<Integer, Long> bytes = new TreeMap<>();
    Set<Integer> deleted = new HashSet<>();
    jdbc.query("select g.number, sum(a.size_bytes), max(g.archives_deleted_at) from ledger_generation g"
        + " join ledger_archive a on a.generation_id = g.id where g.lineage_id = ? group by g.number", rs -> {
          bytes.put(rs.getInt(1), rs.getLong(2));
          blobs.put(rs.getInt(1), new HashSet<>());
          if (rs.getTimestamp(3) != null) {
            deleted.add(rs.getInt(1));
          }
        }, lineageId);
    jdbc.query("select g.number, ab.digest from ledger_generation g join ledger_archive a on a.generation_id = g.id"
        + " join ledger_archive_blob ab on ab.archive_id = a.id where g.lineage_id = ?",
        rs -> {
          blobs.get(rs.getInt(1)).add(rs.getString(2));
        }, lineageId);
    Map<Integer, GenerationContent> content = new TreeMap<>();
    blobs.forEach((number, digests) -> content.put(number,
        new GenerationContent(number, digests, bytes.get(number), !deleted.contains(number))));
    return content;
  }

  /** Image reference to manifest digest, for one generation. */
  public Map<String, String> images(String lineageId, int number) {
    Map<String, String> images = new TreeMap<>();
    jdbc.query("select i.reference, i.manifest_digest from ledger_image i join ledger_generation g on g.id = i.generation_id"
        + " where g.lineage_id = ? and g.number = ?", rs -> {
          images.put(rs.getString(1), rs.getString(2));
        }, lineageId, number);
    return images;
  }

  /**
   * Every blob the images of a generation need: their manifests and, through the recorded references,
   * indexes' per-platform manifests, configs and layers. Digest to size (null when no archive ever carried it).
   */
  public Map<String, Long> neededBlobs(String lineageId, int number) {
    return onPostgres() ? neededBlobsInOneQuery(lineageId, number) : neededBlobsRoundByRound(lineageId, number);
  }

  /**
   * One recursive query: the images' manifests, then everything they reference, down to the layers (rounds of
   * queries of a thousand digests took 29 s for a year of content). PostgreSQL's UNION drops what was found
   * already, so shared manifests are followed once and a cycle ends; H2's recursion would follow them again.
   */
  private Map<String, Long> neededBlobsInOneQuery(String lineageId, int number) {
    Map<String, Long> sizes = new HashMap<>();
    jdbc.query("with recursive needed (digest) as ("
        + " select i.manifest_digest from ledger_image i join ledger_generation g on g.id = i.generation_id"
        + " where g.lineage_id = ? and g.number = ?"
        + " union"
        + " select r.referenced_digest from ledger_manifest_reference r join needed n on r.manifest_digest = n.digest)"
        + " select n.digest, b.size_bytes from needed n left join ledger_blob b on b.digest = n.digest", rs -> {
          long size = rs.getLong(2);
          sizes.put(rs.getString(1), rs.wasNull() ? null : size);
        }, lineageId, number);
    return sizes;
  }

  private Map<String, Long> neededBlobsRoundByRound(String lineageId, int number) {
    Set<String> needed = new HashSet<>(images(lineageId, number).values());
    Set<String> frontier = new HashSet<>(needed);
    while (!frontier.isEmpty()) {
      Set<String> next = new HashSet<>();
      List<String> list = new ArrayList<>(frontier);
      for (int from = 0; from < list.size(); from += BATCH) {
        named.query("select referenced_digest from ledger_manifest_reference where manifest_digest in (:digests)",
            Map.of("digests", list.subList(from, Math.min(list.size(), from + BATCH))), rs -> {
              String digest = rs.getString(1);
              if (needed.add(digest)) {
                next.add(digest);
              }
            });
      }
      frontier = next;
    }
    Map<String, Long> sizes = new HashMap<>();
    needed.forEach(digest -> sizes.put(digest, null));
    List<String> list = new ArrayList<>(needed);
    for (int from = 0; from < list.size(); from += BATCH) {
      named.query("select digest, size_bytes from ledger_blob where digest in (:digests)",
          Map.of("digests", list.subList(from, Math.min(list.size(), from + BATCH))),
          rs -> {
            sizes.put(rs.getString(1), rs.getLong(2));
          });
    }
    return sizes;
  }

  private Boolean postgres;

  private boolean onPostgres() {
    if (postgres == null) {
      postgres = jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Boolean>) connection ->
          "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName()));
    }
    return postgres;
  }

  /** Blobs archived by generations before {@code number} of a lineage. */
  public Set<String> archivedBefore(String lineageId, int number) {
    return new HashSet<>(jdbc.queryForList("select ab.digest from ledger_generation g join ledger_archive a on a.generation_id = g.id"
        + " join ledger_archive_blob ab on ab.archive_id = a.id where g.lineage_id = ? and g.number < ?", String.class,
        lineageId, number));
  }

  /**
   * Committed at once, before the archives are deleted: if the node dies in between, the ledger has stopped counting
   * on them and the next retention deletes what is left; the other order would leave the ledger counting on
   * archives that are gone.
   */
  public void markArchivesDeleted(String lineageId, int number) {
    committed(() -> jdbc.update("update ledger_generation set archives_deleted_at = ? where lineage_id = ? and number = ?",
        Timestamp.from(Instant.now()), lineageId, number));
  }

  /** The lineage whose generation was recorded last: the one monthly updates continue. */
  public Optional<String> latestLineage() {
    return jdbc.queryForList("select lineage_id from ledger_generation order by created_at desc, id desc", String.class)
        .stream().findFirst();
  }

  public Optional<GenerationRecord> find(String lineageId, int number) {
    return jdbc.query("select lineage_id, number, config_digest, config_text, oc_mirror_version, store_path, created_at,"
        + " archives_deleted_at from ledger_generation where lineage_id = ? and number = ?",
        (rs, row) -> new GenerationRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8) != null), lineageId, number)
        .stream().findFirst();
  }

  public List<ArchiveRecord> archives(String lineageId, int number) {
    return jdbc.query("select a.file_name, a.size_bytes, a.sha256 from ledger_archive a join ledger_generation g"
        + " on g.id = a.generation_id where g.lineage_id = ? and g.number = ? order by a.file_name",
        (rs, row) -> new ArchiveRecord(rs.getString(1), rs.getLong(2), rs.getString(3)), lineageId, number);
  }

}
