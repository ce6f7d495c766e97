package dev.ocmirror.orchestrator.transfer;

import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks media where they are mounted (the import host, over SSH): the manifest's signature here, every file's
 * size and SHA-256 there, hashed on that host (OpenSSL, else {@code sha256sum}) so that no archive crosses the
 * network again.
 * The same findings as {@code verify-media}, for the service's own receipt step.
 */
public final class ReceiptVerifier {

  private static final int MAX_MANIFEST = 16 << 20;

  public record Receipt(TransferManifest manifest, byte[] manifestBytes, MediaReport report) {
  }

  /**
   * The manifest of media verified before, read again where they lie: empty when it is no longer the one whose SHA-256
   * was recorded at their verification.
   */
  public static Optional<TransferManifest> manifestAsVerified(Host host, String mediaDirectory, String verifiedSha256) {
    byte[] bytes = host.read(mediaDirectory + "/" + TransferManifest.FILE_NAME, MAX_MANIFEST);
    return Sha256.hex(bytes).equals(verifiedSha256) ? Optional.of(TransferManifest.parse(bytes)) : Optional.empty();
  }

  public Receipt verify(Host host, String mediaDirectory, PublicKey publicKey) {
    String manifestPath = mediaDirectory + "/" + TransferManifest.FILE_NAME;
    String signaturePath = mediaDirectory + "/" + TransferManifest.SIGNATURE_FILE_NAME;
    if (host.stat(manifestPath).isEmpty()) {
      throw new InvalidManifestException("No transfer manifest at " + manifestPath + " on " + host.name()
          + ": is the media mounted there?");
    }
    byte[] manifestBytes = host.read(manifestPath, MAX_MANIFEST);
    MediaReport.SignatureState signature;
    if (host.stat(signaturePath).isEmpty()) {
      signature = MediaReport.SignatureState.MISSING;
    } else {
      String text = new String(host.read(signaturePath, 4096), StandardCharsets.US_ASCII);
      signature = ManifestSignature.verify(manifestBytes, text, publicKey) ? MediaReport.SignatureState.VALID
          : MediaReport.SignatureState.BAD;
    }
    TransferManifest manifest = TransferManifest.parse(manifestBytes);
    List<MediaReport.Problem> problems = new ArrayList<>();
    int verified = 0;
    long bytes = 0;
    for (TransferManifest.ManifestFile listed : manifest.files()) {
      String path = mediaDirectory + "/" + listed.path();
      Optional<FileEntry> entry = host.stat(path);
      MediaReport.Problem problem = null;
      if (entry.isEmpty()) {
        problem = new MediaReport.Problem(MediaReport.Kind.MISSING, listed.path(), null);
      } else if (entry.get().directory()) {
        problem = new MediaReport.Problem(MediaReport.Kind.NOT_A_FILE, listed.path(), "a directory, not a file");
      } else if (entry.get().size() < listed.size()) {
        problem = new MediaReport.Problem(MediaReport.Kind.TRUNCATED, listed.path(), entry.get().size() + " of " + listed.size() + " bytes");
      } else if (entry.get().size() > listed.size()) {
        problem = new MediaReport.Problem(MediaReport.Kind.SIZE_MISMATCH, listed.path(),
            entry.get().size() + " bytes, manifest says " + listed.size());
      } else {
        String actual = host.sha256(path);
        if (!actual.equals(listed.sha256())) {
          problem = new MediaReport.Problem(MediaReport.Kind.ALTERED, listed.path(), "sha256 " + actual + ", manifest says "
              + listed.sha256());
        }
      }
      if (problem == null) {
        verified++;
        bytes += listed.size();
      } else {
        problems.add(problem);
      }
    }
    Set<String> listed = new HashSet<>();
    manifest.files().forEach(file -> listed.add(file.path()));
    listed.add(TransferManifest.FILE_NAME);
    listed.add(TransferManifest.SIGNATURE_FILE_NAME);
    collectExtra(host, mediaDirectory, "", listed, problems);
    problems.sort(Comparator.comparing(MediaReport.Problem::path));
    return new Receipt(manifest, manifestBytes, new MediaReport(signature, problems, verified, bytes));
  }

  private static void collectExtra(Host host, String root, String relative, Set<String> listed, List<MediaReport.Problem> problems) {
    for (FileEntry entry : host.list(relative.isEmpty() ? root : root + "/" + relative)) {
      String path = relative.isEmpty() ? entry.name() : relative + "/" + entry.name();
      if (entry.directory()) {
        collectExtra(host, root, path, listed, problems);
      } else if (!listed.contains(path)) {
        problems.add(new MediaReport.Problem(MediaReport.Kind.EXTRA, path, "not in the manifest"));
      }
    }
  }
}
