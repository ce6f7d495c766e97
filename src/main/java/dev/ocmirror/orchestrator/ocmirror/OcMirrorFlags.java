package dev.ocmirror.orchestrator.ocmirror;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The oc-mirror flags a site may set, per mirror host and per enclave: each a typed value, so nothing of the
 * configuration reaches a command line as free text. A null leaves oc-mirror's default.
 *
 * @param srcTlsVerify {@code --src-tls-verify}; false for a plain-HTTP or self-signed source registry
 * @param destTlsVerify {@code --dest-tls-verify}; false for a plain-HTTP or self-signed target registry
 * @param parallelImages {@code --parallel-images}, 1..10 (4.18 and later)
 * @param parallelLayers {@code --parallel-layers}, 1..10 (4.18 and later)
 * @param retryTimes {@code --retry-times}
 * @param retryDelay {@code --retry-delay}; zero means oc-mirror's exponential backoff
 * @param imageTimeout {@code --image-timeout}, per image, retries included
 * @param removeSignatures {@code --remove-signatures}
 * @param securePolicy {@code --secure-policy}: verify signatures by the policy
 * @param policy {@code --policy}: the signature policy file on the host
 * @param maxNestedPaths {@code --max-nested-paths}, for target registries that limit path depth
 * @param registriesD {@code --registries.d}: registries configuration directory on the host
 * @param authfile {@code --authfile}: registry credentials file on the host
 */
public record OcMirrorFlags(
    Boolean srcTlsVerify,
    Boolean destTlsVerify,
    @Min(value = 1, message = "must be 1..10") @Max(value = 10, message = "must be 1..10") Integer parallelImages,
    @Min(value = 1, message = "must be 1..10") @Max(value = 10, message = "must be 1..10") Integer parallelLayers,
    @Min(value = 0, message = "must be 0..100") @Max(value = 100, message = "must be 0..100") Integer retryTimes,
    Duration retryDelay,
    Duration imageTimeout,
    Boolean removeSignatures,
    Boolean securePolicy,
    @Pattern(regexp = PATH, message = PATH_MESSAGE) String policy,
    @Min(value = 0, message = "must be 0 or more") Integer maxNestedPaths,
    @Pattern(regexp = PATH, message = PATH_MESSAGE) String registriesD,
    @Pattern(regexp = PATH, message = PATH_MESSAGE) String authfile) {

  /** An absolute path of printable characters: it is one argument, but it should still read as a path. */
  static final String PATH = "/[\\p{Graph} ]*";
  static final String PATH_MESSAGE = "must be an absolute path";

  public static final OcMirrorFlags NONE = new OcMirrorFlags(null, null, null, null, null, null, null, null, null, null, null,
      null, null);

  /** A flag and the first OpenShift release whose oc-mirror knows it. */
  private record Flag(String name, int major, int minor) {
  }

  private static final Flag PARALLEL_IMAGES = new Flag("--parallel-images", 4, 18);
  private static final Flag PARALLEL_LAYERS = new Flag("--parallel-layers", 4, 18);

  /** These flags with a default for what this configuration leaves unset. */
  public OcMirrorFlags orElse(OcMirrorFlags defaults) {
    return new OcMirrorFlags(or(srcTlsVerify, defaults.srcTlsVerify), or(destTlsVerify, defaults.destTlsVerify),
        or(parallelImages, defaults.parallelImages), or(parallelLayers, defaults.parallelLayers),
        or(retryTimes, defaults.retryTimes), or(retryDelay, defaults.retryDelay), or(imageTimeout, defaults.imageTimeout),
        or(removeSignatures, defaults.removeSignatures), or(securePolicy, defaults.securePolicy), or(policy, defaults.policy),
        or(maxNestedPaths, defaults.maxNestedPaths), or(registriesD, defaults.registriesD), or(authfile, defaults.authfile));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** The flags set here that the given release of oc-mirror does not know; it would exit 1 on them. */
  public List<String> unknownTo(OcMirrorVersion version) {
    List<String> unknown = new ArrayList<>();
    for (Flag flag : List.of(PARALLEL_IMAGES, PARALLEL_LAYERS)) {
      boolean set = flag == PARALLEL_IMAGES ? parallelImages != null : parallelLayers != null;
      if (set && !version.atLeast(flag.major(), flag.minor())) {
        unknown.add(flag.name() + " (since " + flag.major() + "." + flag.minor() + ")");
      }
    }
    return unknown;
  }

  /** The command-line arguments, each one element, in a fixed order. */
  public List<String> arguments() {
    List<String> argv = new ArrayList<>();
    bool(argv, "--src-tls-verify", srcTlsVerify);
    bool(argv, "--dest-tls-verify", destTlsVerify);
    value(argv, "--parallel-images", parallelImages);
    value(argv, "--parallel-layers", parallelLayers);
    value(argv, "--retry-times", retryTimes);
    value(argv, "--retry-delay", retryDelay == null ? null : GoDuration.format(retryDelay));
    value(argv, "--image-timeout", imageTimeout == null ? null : GoDuration.format(imageTimeout));
    bool(argv, "--remove-signatures", removeSignatures);
    bool(argv, "--secure-policy", securePolicy);
    value(argv, "--policy", policy);
    value(argv, "--max-nested-paths", maxNestedPaths);
    value(argv, "--registries.d", registriesD);
    value(argv, "--authfile", authfile);
    return argv;
  }

  private static void bool(List<String> argv, String name, Boolean value) {
    if (value != null) {
      // Boolean flags take their value after '=': a separate "false" would be read as a positional argument.
      argv.add(name + "=" + value);
    }
  }

  private static void value(List<String> argv, String name, Object value) {
    if (value != null) {
      argv.add(name);
      argv.add(value.toString());
    }
  }
}
