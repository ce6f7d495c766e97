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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a transfer carries, file by file, and where it comes from: written next to the archives on the media
 * and signed, so the disconnected side can prove that what arrived is what was approved.
 */
@JsonPropertyOrder({"schemaVersion", "lineage", "generations", "enclave", "configurationDigest", "ocMirrorVersion",
    "createdAt", "createdBy", "files"})
public record TransferManifest(
    int schemaVersion,
    String lineage,
    List<Integer> generations,
    String enclave,
    String configurationDigest,
    String ocMirrorVersion,
    Instant createdAt,
    String createdBy,
    List<ManifestFile> files) {

  public static final int SCHEMA_VERSION = 1;
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

  public TransferManifest {
    generations = List.copyOf(generations);
    files = List.copyOf(files);
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
    if (manifest.schemaVersion() != SCHEMA_VERSION) {
      problems.add("schemaVersion " + manifest.schemaVersion() + " is not supported (expected " + SCHEMA_VERSION + ")");
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
