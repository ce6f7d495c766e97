package dev.ocmirror.orchestrator.ocmirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What oc-mirror said, read line by line from its stdout and stderr. It only records; {@link OcMirrorOutcome}
 * judges. Every release from 4.16 on is read alike: the markers of the current releases (contract section 5), and
 * those of 4.16 (section 9: progress blocks, other Results lines, no version line, everything on stderr). Matching
 * is on the text of the markers, never on the emoji, and ANSI colour codes are stripped first.
 */
public final class OcMirrorLog {

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
  private static final Pattern LEVEL = Pattern.compile("^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}\\s+\\[(INFO|WARN|ERROR|DEBUG|TRACE)\\]\\s*:\\s?(.*)$");
  private static final Pattern MODE = Pattern.compile("workflow mode: (mirrorToDisk|diskToMirror|mirrorToMirror)");
  private static final Pattern VERSION = Pattern.compile("environment version: (\\S+)");
  private static final Pattern TO_COPY = Pattern.compile("images to copy (\\d+)");
  private static final Pattern RESULT = Pattern.compile("(\\d+)\\s*/\\s*(\\d+)\\s+(release|operator|additional|helm) images mirrored");
  private static final Pattern RESULT_416_ALL = Pattern.compile(
      "All (release|operator|additional|helm) images mirrored successfully (\\d+)\\s*/\\s*(\\d+)");
  private static final Pattern RESULT_416_SOME = Pattern.compile(
      "Images mirrored (\\d+)\\s*/\\s*(\\d+): Some (release|operator|additional|helm) images failed");
  private static final Pattern PROGRESS_416 = Pattern.compile(
      "=== Overall Progress -\\s+image (\\d+)\\s*/\\s*(\\d+)(?:\\s*\\((\\d+) errors\\))?\\s*===");
  private static final Pattern CURRENT_416 = Pattern.compile("^image: (?:docker://)?(\\S+)$");
  private static final Pattern WORKER_ERROR = Pattern.compile(
      "(?:\\[Worker\\] )?error mirroring image (\\S+)(?: \\(Operator bundles: .*?\\))? error: (.*)$");
  private static final Pattern FAILED_COPY = Pattern.compile("Failed to copy (?:(release|operator|additional|generic|helm) )?(?:image )?(\\S+)");
  private static final Pattern SUCCESS_COPY = Pattern.compile("Success copying (\\S+)");
  private static final Pattern ERRORS_FILE = Pattern.compile("(\\S*mirroring_errors_\\S+\\.txt)");
  private static final Pattern MIRROR_TIME = Pattern.compile("mirror time\\s*:\\s*(\\S+)");
  private static final Pattern FILE_CREATED = Pattern.compile("^(\\S+\\.(?:yaml|json)) file created");
  private static final Pattern EXECUTOR_ERROR = Pattern.compile("\\[Executor\\] (.*)$");

  public record Counts(int mirrored, int total) {
    public boolean complete() {
      return mirrored == total;
    }
  }

  public record FailedImage(String image, String cause) {
  }

  private Workflow workflow;
  private String version;
  private Integer imagesToCopy;
  private int imagesCopied;
  private int imagesFailed;
  private Integer progressDone;
  private Integer progressErrors;
  private String currentImage;
  private boolean copyingStarted;
  private boolean resultsSeen;
  private boolean goodbye;
  private Duration mirrorTime;
  private String errorsFile;
  private final Map<ImageType, Counts> results = new EnumMap<>(ImageType.class);
  private final Map<String, FailedImage> failures = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> createdFiles = new ArrayList<>();

  /** Feeds one line of either stream. */
  public synchronized void accept(String rawLine) {
    String line = ANSI.matcher(rawLine).replaceAll("").stripTrailing();
    Matcher levelled = LEVEL.matcher(line);
    String level = levelled.matches() ? levelled.group(1) : "";
    String message = levelled.matches() ? levelled.group(2).trim() : line.trim();

    find(MODE, message).ifPresent(m -> workflow = Workflow.fromLogName(m.group(1)));
    find(VERSION, message).ifPresent(m -> version = m.group(1));
    find(TO_COPY, message).ifPresent(m -> imagesToCopy = Integer.parseInt(m.group(1)));
    if (message.contains("Start copying the images")) {
      copyingStarted = true;
    }
    if (message.contains("=== Results ===")) {
      resultsSeen = true;
    }
    if (message.contains("Goodbye, thank you for using oc-mirror")) {
      goodbye = true;
    }
    find(SUCCESS_COPY, message).ifPresent(m -> {
      imagesCopied++;
      currentImage = m.group(1);
    });
    find(PROGRESS_416, message).ifPresent(m -> {
      progressDone = Integer.valueOf(m.group(1));
      imagesToCopy = Integer.valueOf(m.group(2));
      progressErrors = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    });
    find(CURRENT_416, message).ifPresent(m -> currentImage = m.group(1));
    find(RESULT, message).ifPresent(m -> results.put(ImageType.fromWord(m.group(3)),
        new Counts(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))));
    find(RESULT_416_ALL, message).ifPresent(m -> results.put(ImageType.fromWord(m.group(1)),
        new Counts(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))));
    find(RESULT_416_SOME, message).ifPresent(m -> results.put(ImageType.fromWord(m.group(3)),
        new Counts(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))));
    find(WORKER_ERROR, message).ifPresent(m -> failures.put(m.group(1), new FailedImage(m.group(1), m.group(2).trim())));
    find(FAILED_COPY, message).ifPresent(m -> {
      imagesFailed++;
      currentImage = m.group(2);
      failures.putIfAbsent(m.group(2), new FailedImage(m.group(2), null));
    });
    find(MIRROR_TIME, message).ifPresent(m -> mirrorTime = GoDuration.parse(m.group(1)));
    find(FILE_CREATED, message).ifPresent(m -> createdFiles.add(m.group(1)));
    if (message.contains("mirroring_errors_")) {
      find(ERRORS_FILE, message).ifPresent(m -> errorsFile = m.group(1));
    }
    if (level.equals("ERROR")) {
      errors.add(find(EXECUTOR_ERROR, message).map(m -> m.group(1)).orElse(message));
    } else if (level.equals("WARN")) {
      warnings.add(message);
    } else if (level.isEmpty() && (message.startsWith("Error:") || message.contains("level=fatal"))) {
      errors.add(message);
    }
  }

  /** Lines of {@code mirroring_errors_<ts>.txt}: the same error text minus the {@code [Worker] } prefix. */
  public synchronized void acceptErrorsFile(String content) {
    for (String line : content.split("\\R")) {
      find(WORKER_ERROR, line.trim()).ifPresent(m -> {
        FailedImage known = failures.get(m.group(1));
        if (known == null || known.cause() == null) {
          failures.put(m.group(1), new FailedImage(m.group(1), m.group(2).trim()));
        }
      });
    }
  }

  private static java.util.Optional<Matcher> find(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? java.util.Optional.of(matcher) : java.util.Optional.empty();
  }

  public synchronized Workflow workflow() {
    return workflow;
  }

  public synchronized String version() {
    return version;
  }

  public synchronized Integer imagesToCopy() {
    return imagesToCopy;
  }

  /** Images reported copied so far. */
  public synchronized int imagesCopied() {
    return imagesCopied;
  }

  /** Images done so far, copied or failed: the progress an operator watches. */
  public synchronized int imagesDone() {
    return progressDone != null ? progressDone : imagesCopied + imagesFailed;
  }

  /** Images that failed so far, while the run goes on. */
  public synchronized int imageErrors() {
    return progressErrors != null ? progressErrors : imagesFailed;
  }

  /** The image oc-mirror reported last; null before the first. */
  public synchronized String currentImage() {
    return currentImage;
  }

  public synchronized boolean copyingStarted() {
    return copyingStarted;
  }

  public synchronized boolean resultsSeen() {
    return resultsSeen;
  }

  public synchronized boolean goodbye() {
    return goodbye;
  }

  public synchronized Duration mirrorTime() {
    return mirrorTime;
  }

  public synchronized String errorsFile() {
    return errorsFile;
  }

  public synchronized Map<ImageType, Counts> results() {
    return Map.copyOf(results);
  }

  public synchronized List<FailedImage> failures() {
    return List.copyOf(failures.values());
  }

  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  public synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Files oc-mirror announced as created (cluster resources, dry-run mapping). */
  public synchronized List<String> createdFiles() {
    return List.copyOf(createdFiles);
  }
}
