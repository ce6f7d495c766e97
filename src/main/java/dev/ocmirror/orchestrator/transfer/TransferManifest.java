package dev.ocmirror.orchestrator.transfer;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a transfer carries, file by file, and where it comes from: written next to the archives on the media
 * and signed, so the disconnected side can prove that what arrived is what was approved. From schema 2 it also
 * carries what a receiving station needs with no network at all: each generation's configuration and images, and
 * the transfer's prerequisites, which the station checks against its own cache before it imports anything (as
 * {@code git bundle verify} does).
 */
@JsonPropertyOrder({"schemaVersion", "transferId", "lineage", "generations", "enclave", "configurationDigest",
    "ocMirrorVersion", "createdAt", "createdBy", "prerequisites", "contents", "files"})
public record TransferManifest(
    int schemaVersion,
    String transferId,
    String lineage,
    List<Integer> generations,
    String enclave,
    String configurationDigest,
    String ocMirrorVersion,
    Instant createdAt,
    String createdBy,
    Prerequisites prerequisites,
    List<GenerationContents> contents,
    List<ManifestFile> files) {

  public static final int SCHEMA_VERSION = 2;
  /** Media staged by the earlier version: files and origin only. */
  public static final int SCHEMA_VERSION_WITHOUT_PREREQUISITES = 1;
  public static final String FILE_NAME = "transfer-manifest.json";
  public static final String SIGNATURE_FILE_NAME = FILE_NAME + ".sig";

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .findAndRegisterModules()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  @JsonPropertyOrder({"path", "size", "sha256"})
  public record ManifestFile(String path, long size, String sha256) {
  }

  /**
   * What the receiving side's cache must already hold before these media are imported.
   *
   * @param requiredGenerations the lineage's generations the differential archives build on, none for a baseline
   * @param blobSetDigest {@code sha256:} of the sorted digests of every blob those generations' archives put into
   *     the cache, one per line: the station compares it with its own records of them
   * @param sequence the transfer's number among all transfers to its enclave, which a site report acknowledges
   */
  @JsonPropertyOrder({"requiredGenerations", "blobSetDigest", "sequence"})
  public record Prerequisites(List<Integer> requiredGenerations, String blobSetDigest, int sequence) {

    public Prerequisites {
      requiredGenerations = List.copyOf(requiredGenerations);
    }
  }

  /**
   * One carried generation as oc-mirror's diskToMirror needs it and a station's ledger records it.
   *
   * @param images cache reference ({@code repo:tag}) to manifest digest, as the connected side's ledger holds them
   */
  @JsonPropertyOrder({"generation", "configText", "ocMirrorVersion", "images"})
  public record GenerationContents(int generation, String configText, String ocMirrorVersion, Map<String, String> images) {

    public GenerationContents {
      images = images == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(images));
    }
  }

  public TransferManifest {
    generations = List.copyOf(generations);
    files = List.copyOf(files);
    contents = contents == null ? List.of() : List.copyOf(contents);
  }

  /** The contents of one carried generation; absent from manifests of schema 1. */
  public java.util.Optional<GenerationContents> contentsOf(int generation) {
    return contents.stream().filter(item -> item.generation() == generation).findFirst();
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write the transfer manifest", e);
    }
  }

  /** Reads and checks a manifest; every problem found is named. */
  public static TransferManifest parse(byte[] json) {
    TransferManifest manifest;
    try {
      manifest = JSON.readValue(json, TransferManifest.class);
    } catch (JsonProcessingException e) {
      throw new InvalidManifestException("The transfer manifest is not valid JSON of this schema: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidManifestException("The transfer manifest cannot be read: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    if (manifest.schemaVersion() != SCHEMA_VERSION && manifest.schemaVersion() != SCHEMA_VERSION_WITHOUT_PREREQUISITES) {
      problems.add("schemaVersion " + manifest.schemaVersion() + " is not supported (expected " + SCHEMA_VERSION + ")");
    }
    if (manifest.schemaVersion() == SCHEMA_VERSION) {
      if (manifest.transferId() == null || manifest.transferId().isBlank()) {
        problems.add("it names no transfer");
      }
      if (manifest.prerequisites() == null) {
        problems.add("it states no prerequisites");
      } else if (manifest.prerequisites().blobSetDigest() == null
          || !manifest.prerequisites().blobSetDigest().matches("sha256:[0-9a-f]{64}")) {
        problems.add("its prerequisites hold no valid blob-set digest");
      }
      for (int generation : manifest.generations()) {
        if (manifest.contentsOf(generation).isEmpty()) {
          problems.add("it holds no contents for generation " + generation);
        }
      }
    }
    if (manifest.files() == null || manifest.files().isEmpty()) {
      problems.add("it lists no files");
    } else {
      Set<String> seen = new HashSet<>();
      for (ManifestFile file : manifest.files()) {
        String path = file.path();
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("\\")
            || List.of(path.split("/")).contains("..") || List.of(path.split("/")).contains(".")) {
          problems.add("file path '" + path + "' is not a plain relative path");
        } else if (!seen.add(path)) {
          problems.add("file " + path + " is listed twice");
        }
        if (file.size() < 0) {
          problems.add("file " + path + " has a negative size");
        }
        if (file.sha256() == null || !HEX_SHA256.matcher(file.sha256()).matches()) {
          problems.add("file " + path + " has no valid sha256 (64 lowercase hex digits)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidManifestException("The transfer manifest is invalid: " + String.join("; ", problems));
    }
    return manifest;
  }
}
