package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.support.TestPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A year of content in one lineage on PostgreSQL: twelve generations, each archiving its share of a million blobs
 * (layers in manifests of ten, every image of every earlier month still in the configuration, each archive carrying
 * oc-mirror's history of everything archived before), recorded through {@link LedgerIngest} with its checks; then
 * the plan for an enclave that imported up to generation 8 and misses four: the lineage's content, the blobs
 * generation 12 needs, and {@link TransferPlanner}. The archives are described, not read: reading is measured
 * elsewhere (IngestBenchmark). Not a test: run it as docs/benchmarks.md says.
 *
 * <p>Arguments: total blobs, generations, {@code reWriteBatchedInserts} (true or false).
 */
public final class YearOfContentBenchmark {

  private static final int LAYERS_PER_MANIFEST = 10;

  public static void main(String[] args) throws Exception {
    int totalBlobs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int months = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    boolean rewrite = args.length <= 2 || Boolean.parseBoolean(args[2]);
    TestPostgres.recreateDatabase("orchestrator_year_bench");
    PGSimpleDataSource postgres = new PGSimpleDataSource();
    postgres.setUrl(TestPostgres.url("orchestrator_year_bench") + (rewrite ? "?reWriteBatchedInserts=true" : ""));
    postgres.setUser(TestPostgres.user());
    postgres.setPassword(TestPostgres.password());
    Flyway.configure().dataSource(postgres).table("ledger_schema_history").load().migrate();
    Generations generations = new Generations(postgres);
    LedgerIngest ingest = new LedgerIngest(generations);
    String lineage = UUID.randomUUID().toString();

    int perMonth = totalBlobs / months;
    int next = 0;
    Set<String> archivedSoFar = new HashSet<>();
    List<String> references = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    double ingestSeconds = 0;
    for (int month = 1; month <= months; month++) {
      List<ArchiveInventory.ArchivedBlob> blobs = new ArrayList<>();
      Map<String, List<String>> manifests = new HashMap<>();
      int end = next + perMonth;
      while (next + LAYERS_PER_MANIFEST + 1 <= end) {
        String manifest = digest(next++);
        List<String> layers = new ArrayList<>();
        for (int layer = 0; layer < LAYERS_PER_MANIFEST; layer++) {
          String blob = digest(next++);
          layers.add(blob);
          blobs.add(new ArchiveInventory.ArchivedBlob(blob, 8L << 20));
        }
        blobs.add(new ArchiveInventory.ArchivedBlob(manifest, 2048));
        manifests.put(manifest, layers);
        String reference = "registry.example/m" + month + "/image-" + manifests.size() + ":v1";
        tags.put(reference, manifest);
        references.add(reference);
      }
      next = end;
      long size = blobs.stream().mapToLong(ArchiveInventory.ArchivedBlob::size).sum();
      ArchiveInventory archive = new ArchiveInventory("mirror_000001.tar", size, "e".repeat(64), blobs.size(), blobs,
          Map.copyOf(tags), manifests, Set.copyOf(archivedSoFar), "isc_" + month);
      LedgerIngest.Request request = new LedgerIngest.Request(lineage, month, "kind: ImageSetConfiguration # " + month,
          "sha256:" + "c".repeat(64), "4.18.0", "/store/" + month, null, List.of("mirror_000001.tar"),
          List.copyOf(references), "olivia");
      System.gc();
      long start = System.nanoTime();
      ingest.record(request, List.of(archive));
      double seconds = (System.nanoTime() - start) / 1e9;
      ingestSeconds += seconds;
      blobs.forEach(blob -> archivedSoFar.add(blob.digest()));
      System.out.printf("generation %2d: %,d new blobs, %,d images, recorded in %.2f s%n", month, blobs.size(),
          references.size(), seconds);
    }
    analyze(postgres);

    Set<String> cache = new HashSet<>();
    Map<Integer, GenerationContent> before = generations.lineageContent(lineage);
    for (int month = 1; month <= months - 4; month++) {
      cache.addAll(before.get(month).archivedBlobs());
    }
    before = null;
    System.gc();
    long start = System.nanoTime();
    Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
    long read = System.nanoTime();
    Map<String, Long> needed = generations.neededBlobs(lineage, months);
    long closure = System.nanoTime();
    TransferPlan plan = new TransferPlanner().plan("site-a", months, content, needed.keySet(), needed, cache,
        Set.of(1, 2, 3, 4, 5, 6, 7, 8));
    long planned = System.nanoTime();
    System.out.printf("plan for an enclave at generation %d of %d: carry %s, %s; lineage content %.2f s, needed blobs"
        + " (%,d) %.2f s, planner %.2f s, in all %.2f s%n", months - 4, months, plan.generations(), plan.verdict(),
        (read - start) / 1e9, needed.size(), (closure - read) / 1e9, (planned - closure) / 1e9, (planned - start) / 1e9);
    System.out.printf("year: %,d blobs in %d generations recorded in %.1f s; peak heap %d MiB (of which the benchmark's"
        + " own inputs: the history set of %,d digests); reWriteBatchedInserts=%s%n", next, months, ingestSeconds,
        peakHeap() >> 20, archivedSoFar.size(), rewrite);
  }

  private static void analyze(PGSimpleDataSource postgres) throws Exception {
    try (var connection = postgres.getConnection(); var statement = connection.createStatement()) {
      statement.execute("analyze");
    }
  }

  private static String digest(int number) {
    return String.format("sha256:%064x", number);
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
