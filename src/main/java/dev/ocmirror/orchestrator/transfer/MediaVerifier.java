package dev.ocmirror.orchestrator.transfer;

import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Checks a media directory against its signed transfer manifest: the signature, then every listed file's
 * presence, size and SHA-256, and that nothing unlisted is there. Files are hashed in parallel, one per core.
 * Needs neither database nor engine: it runs where the media is mounted.
 */
public final class MediaVerifier {

  public MediaReport verify(Path mediaDirectory, Path manifestFile, Path signatureFile, PublicKey publicKey) {
    byte[] manifestBytes;
    try {
      manifestBytes = Files.readAllBytes(manifestFile);
    } catch (IOException e) {
      throw new InvalidManifestException("Cannot read the transfer manifest " + manifestFile + ": " + e.getMessage());
    }
    MediaReport.SignatureState signature;
    if (!Files.isRegularFile(signatureFile)) {
      signature = MediaReport.SignatureState.MISSING;
    } else {
      try {
        String text = Files.readString(signatureFile, StandardCharsets.US_ASCII);
        signature = ManifestSignature.verify(manifestBytes, text, publicKey) ? MediaReport.SignatureState.VALID
            : MediaReport.SignatureState.BAD;
      } catch (IOException e) {
        signature = MediaReport.SignatureState.BAD;
      }
    }
    TransferManifest manifest = TransferManifest.parse(manifestBytes);
    List<MediaReport.Problem> problems = new ArrayList<>();
    List<Future<FileCheck>> checks = new ArrayList<>();
    ExecutorService hashers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      for (TransferManifest.ManifestFile listed : manifest.files()) {
        checks.add(hashers.submit(() -> check(mediaDirectory, listed)));
      }
      int verified = 0;
      long bytes = 0;
      for (Future<FileCheck> check : checks) {
        FileCheck result = check.get();
        if (result.problem() == null) {
          verified++;
          bytes += result.size();
        } else {
          problems.add(result.problem());
        }
      }
      problems.addAll(extraFiles(mediaDirectory, manifest, manifestFile, signatureFile));
      problems.sort(Comparator.comparing(MediaReport.Problem::path));
      return new MediaReport(signature, problems, verified, bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Verification interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Verification failed: " + e.getCause(), e.getCause());
    } finally {
      hashers.shutdownNow();
    }
  }

  private record FileCheck(long size, MediaReport.Problem problem) {
  }

  private static FileCheck check(Path mediaDirectory, TransferManifest.ManifestFile listed) throws IOException {
    Path file = mediaDirectory.resolve(listed.path());
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new FileCheck(0, new MediaReport.Problem(MediaReport.Kind.MISSING, listed.path(), null));
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return new FileCheck(0, new MediaReport.Problem(MediaReport.Kind.NOT_A_FILE, listed.path(), "a directory or link, not a file"));
    }
    long size = Files.size(file);
    if (size < listed.size()) {
      return new FileCheck(size, new MediaReport.Problem(MediaReport.Kind.TRUNCATED, listed.path(),
          size + " of " + listed.size() + " bytes"));
    }
    if (size > listed.size()) {
      return new FileCheck(size, new MediaReport.Problem(MediaReport.Kind.SIZE_MISMATCH, listed.path(),
          size + " bytes, manifest says " + listed.size()));
    }
    String actual = Sha256.hex(file);
    if (!actual.equals(listed.sha256())) {
      return new FileCheck(size, new MediaReport.Problem(MediaReport.Kind.ALTERED, listed.path(),
          "sha256 " + actual + ", manifest says " + listed.sha256()));
    }
    return new FileCheck(size, null);
  }

  private static List<MediaReport.Problem> extraFiles(Path mediaDirectory, TransferManifest manifest, Path manifestFile,
      Path signatureFile) {
    Set<String> listed = new HashSet<>();
    manifest.files().forEach(file -> listed.add(file.path()));
    Set<Path> own = Set.of(manifestFile.toAbsolutePath().normalize(), signatureFile.toAbsolutePath().normalize());
    List<MediaReport.Problem> extra = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(mediaDirectory)) {
      walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
          .filter(path -> !own.contains(path.toAbsolutePath().normalize()))
          .map(path -> mediaDirectory.relativize(path).toString().replace('\\', '/'))
          .filter(relative -> !listed.contains(relative))
          .forEach(relative -> extra.add(new MediaReport.Problem(MediaReport.Kind.EXTRA, relative, "not in the manifest")));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + mediaDirectory, e);
    }
    return extra;
  }

}
