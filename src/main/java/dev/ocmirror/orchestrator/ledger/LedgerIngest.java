package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.remote.Host;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the archives of one mirrorToDisk run into a generation of the ledger: each archive read once (in
 * parallel as the cores allow), checked for sequence and lineage, then recorded in one transaction.
 */
public final class LedgerIngest {

  private final Generations generations;
  private final ArchiveReader reader = new ArchiveReader();

  public LedgerIngest(Generations generations) {
    this.generations = generations;
  }

  /**
   * @param host where the archives lie (the mirror host, local or over SSH); they are streamed from there
   * @param archives their paths on that host
   * @param imageReferences the images of the run's configuration as the cache names them ({@code repo:tag},
   *     {@code repo:sha256-<hex>} for digest references)
   */
  /**
   * @param signedSha256 for archives carried on media: each archive's file name and the SHA-256 its signed manifest
   *     gives; an archive that is not the one signed is refused. Null for archives the service made itself.
   */
  public record Request(String lineageId, int number, String configText, String configDigest, String ocMirrorVersion,
      String storePath, Host host, List<String> archives, List<String> imageReferences, String requestedBy,
      Map<String, String> signedSha256) {

    public Request(String lineageId, int number, String configText, String configDigest, String ocMirrorVersion,
        String storePath, Host host, List<String> archives, List<String> imageReferences, String requestedBy) {
      this(lineageId, number, configText, configDigest, ocMirrorVersion, storePath, host, archives, imageReferences,
          requestedBy, null);
    }
  }

  public record Result(long generationId, List<ArchiveInventory> archives, int blobs, long bytes) {
  }

  public Result ingest(Request request) {
    int expected = expectedNumber(request);
    return record(request, read(request), expected);
  }

  /**
   * As {@link #ingest(Request)}, with the record committed in a transaction of its own whatever becomes of the caller's:
   * the archives are read first, outside any transaction, and only the record holds a connection of its own.
   */
  public Result ingestCommitted(Request request) {
    expectedNumber(request);
    List<ArchiveInventory> inventories = read(request);
    return generations.committed(() -> record(request, inventories));
  }

  /** Reads the archives, once the number was checked: a generation out of sequence is refused before any is read. */
  private List<ArchiveInventory> read(Request request) {
    return reader.readAll(request.host(), request.archives());
  }

  /** The checks and the record once the archives are read: what the ledger's own speed is measured by. */
  Result record(Request request, List<ArchiveInventory> inventories) {
    return record(request, inventories, expectedNumber(request));
  }

  private int expectedNumber(Request request) {
    if (request.archives().isEmpty()) {
      throw new LedgerException("Generation " + request.number() + " has no archives to record");
    }
    int expected = generations.lineageExists(request.lineageId())
        ? generations.last(request.lineageId()).orElse(0) + 1 : 1;
    if (request.number() != expected) {
      throw new LedgerException("Generation " + request.number() + " is out of sequence: lineage " + request.lineageId()
          + (expected == 1 ? " is new, so it starts at generation 1" : " ends at generation " + (expected - 1)
              + ", so the next is " + expected));
    }
    return expected;
  }

  private Result record(Request request, List<ArchiveInventory> inventories, int expected) {
    if (request.signedSha256() != null) {
      for (ArchiveInventory inventory : inventories) {
        String signed = request.signedSha256().get(inventory.fileName());
        if (!inventory.sha256().equals(signed)) {
          throw new LedgerException("Archive " + inventory.fileName() + " of generation " + request.number() + " is not the"
              + " one its manifest signs (sha256 " + inventory.sha256() + ", signed " + signed + ")");
        }
      }
    }

    Set<String> history = new HashSet<>();
    inventories.forEach(inventory -> history.addAll(inventory.history()));
    Set<String> known = expected == 1 ? Set.of() : generations.archivedBefore(request.lineageId(), request.number());
    Set<String> foreign = new HashSet<>(history);
    foreign.removeAll(known);
    if (!foreign.isEmpty()) {
      throw new LedgerException("The archives of generation " + request.number() + " come from another lineage: their "
          + "workspace had already archived " + foreign.size() + " blob(s) lineage " + request.lineageId() + " never recorded "
          + "(for example " + foreign.iterator().next() + ", in " + inventories.get(0).fileName() + "). "
          + "Importing them would miss that content; use the lineage's own workspace or take a new baseline.");
    }

    Map<String, String> tags = new LinkedHashMap<>();
    inventories.forEach(inventory -> tags.putAll(inventory.tags()));
    Map<String, String> images = new LinkedHashMap<>();
    List<String> absent = new ArrayList<>();
    for (String reference : request.imageReferences()) {
      String manifest = tags.get(reference);
      if (manifest == null) {
        absent.add(reference);
      } else {
        images.put(reference, manifest);
      }
    }
    if (!absent.isEmpty()) {
      throw new LedgerException("The archives of generation " + request.number() + " do not know image(s) " + absent
          + " of its configuration");
    }

    // A receiving station puts the lineage on record when media of it arrive, before their first generation.
    if (!generations.lineageExists(request.lineageId())) {
      generations.createLineage(request.lineageId(), request.requestedBy(), Instant.now());
    }
    long id = generations.record(new NewGeneration(request.lineageId(), request.number(),
        request.configDigest(), request.configText(), request.ocMirrorVersion(), "SUCCEEDED", request.storePath(),
        Instant.now()), inventories, images);
    int blobs = inventories.stream().mapToInt(inventory -> inventory.blobs().size()).sum();
    long bytes = inventories.stream().mapToLong(ArchiveInventory::size).sum();
    return new Result(id, inventories, blobs, bytes);
  }
}
