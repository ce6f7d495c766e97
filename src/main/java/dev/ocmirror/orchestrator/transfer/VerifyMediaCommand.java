package dev.ocmirror.orchestrator.transfer;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify-media --dir D [--manifest M] [--signature S] --public-key K}: the check an operator runs on the
 * disconnected side, from the service's jar, without database or engine. Exit 0 only when all is well, 1 when
 * the media or the signature fails, 2 for a wrong invocation or an unreadable manifest or key.
 */
@Command(name = VerifyMediaCommand.NAME, sortOptions = false,
    description = "Verifies transfer media against their signed manifest: every file present, of its size and digest, "
        + "nothing extra, the signature this service made.",
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {"0:the media are complete and the signature is valid", "1:a file or the signature failed",
        "2:a wrong invocation, or an unreadable manifest or key"})
public final class VerifyMediaCommand implements Callable<Integer> {

  public static final String NAME = "verify-media";
  private static final int FAILED = 1;
  private static final int UNUSABLE = 2;

  @Option(names = "--dir", required = true, paramLabel = "MEDIA_DIR", description = "the mounted media of one transfer")
  Path dir;

  @Option(names = "--public-key", required = true, paramLabel = "KEY.pem", description = "the service's public key (PEM)")
  Path key;

  @Option(names = "--manifest", paramLabel = "MANIFEST", description = "default: MEDIA_DIR/" + TransferManifest.FILE_NAME)
  Path manifest;

  @Option(names = "--signature", paramLabel = "SIGNATURE", description = "default: MANIFEST.sig")
  Path signature;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  private PrintStream out;
  private PrintStream err;

  public static int run(String[] args, PrintStream out, PrintStream err) {
    VerifyMediaCommand command = new VerifyMediaCommand();
    command.out = out;
    command.err = err;
    return new CommandLine(command)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        // The last of a repeated option counts, as in oc-mirror and most tools an operator scripts.
        .setOverwrittenOptionsAllowed(true)
        .execute(args);
  }

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      err.println("verify-media: " + dir + " is not a directory");
      return UNUSABLE;
    }
    Path manifestFile = manifest != null ? manifest : dir.resolve(TransferManifest.FILE_NAME);
    Path signatureFile = signature != null ? signature : Path.of(manifestFile + ".sig");
    MediaReport report;
    try {
      PublicKey publicKey = ManifestSignature.readPublicKey(key);
      report = new MediaVerifier().verify(dir, manifestFile, signatureFile, publicKey);
    } catch (IllegalArgumentException | InvalidManifestException e) {
      err.println("verify-media: " + e.getMessage());
      return UNUSABLE;
    }
    switch (report.signature()) {
      case VALID -> out.println("signature: valid (" + signatureFile + ")");
      case BAD -> out.println("signature: BAD - the manifest was altered or signed with another key (" + signatureFile + ")");
      case MISSING -> out.println("signature: MISSING - expected " + signatureFile);
    }
    report.problems().forEach(problem -> out.println(problem));
    out.println((report.ok() ? "OK" : "FAILED") + ": " + report.filesVerified() + " file(s), " + report.bytesVerified()
        + " bytes verified; " + report.problems().size() + " problem(s)");
    return report.ok() ? 0 : FAILED;
  }
}
