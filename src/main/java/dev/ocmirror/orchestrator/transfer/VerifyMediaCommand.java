package dev.ocmirror.orchestrator.transfer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * {@code verify-media --dir D [--manifest M] [--signature S] --public-key K}: the check an operator runs on the
 * disconnected side, from the service's jar, without database or engine. Exit 0 only when all is well, 1 when
 * the media or the signature fails, 2 for a wrong invocation or an unreadable manifest or key.
 */
public final class VerifyMediaCommand {

  public static final String NAME = "verify-media";
  private static final String USAGE = "usage: verify-media --dir MEDIA_DIR --public-key KEY.pem"
      + " [--manifest MANIFEST] [--signature SIGNATURE]";

  private VerifyMediaCommand() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path dir = null;
    Path manifest = null;
    Path signature = null;
    Path key = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        out.println(USAGE);
        return 0;
      }
      if (i + 1 >= args.length || !arg.startsWith("--")) {
        err.println("verify-media: unexpected argument '" + arg + "'\n" + USAGE);
        return 2;
      }
      Path value = Path.of(args[++i]);
      switch (arg) {
        case "--dir" -> dir = value;
        case "--manifest" -> manifest = value;
        case "--signature" -> signature = value;
        case "--public-key" -> key = value;
        default -> {
          err.println("verify-media: unknown option " + arg + "\n" + USAGE);
          return 2;
        }
      }
    }
    if (dir == null || key == null) {
      err.println("verify-media: --dir and --public-key are required\n" + USAGE);
      return 2;
    }
    if (!Files.isDirectory(dir)) {
      err.println("verify-media: " + dir + " is not a directory");
      return 2;
    }
    manifest = manifest != null ? manifest : dir.resolve(TransferManifest.FILE_NAME);
    signature = signature != null ? signature : Path.of(manifest + ".sig");
    MediaReport report;
    try {
      PublicKey publicKey = ManifestSignature.readPublicKey(key);
      report = new MediaVerifier().verify(dir, manifest, signature, publicKey);
    } catch (IllegalArgumentException | InvalidManifestException e) {
      err.println("verify-media: " + e.getMessage());
      return 2;
    }
    switch (report.signature()) {
      case VALID -> out.println("signature: valid (" + signature + ")");
      case BAD -> out.println("signature: BAD - the manifest was altered or signed with another key (" + signature + ")");
      case MISSING -> out.println("signature: MISSING - expected " + signature);
    }
    report.problems().forEach(problem -> out.println(problem));
    out.println((report.ok() ? "OK" : "FAILED") + ": " + report.filesVerified() + " file(s), " + report.bytesVerified()
        + " bytes verified; " + report.problems().size() + " problem(s)");
    return report.ok() ? 0 : 1;
  }
}
