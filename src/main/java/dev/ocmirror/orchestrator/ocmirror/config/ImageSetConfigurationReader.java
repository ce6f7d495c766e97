package dev.ocmirror.orchestrator.ocmirror.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads an ImageSetConfiguration as strictly as oc-mirror does (contract section 4): duplicate keys, unknown
 * fields and a wrong kind are refused; apiVersion is not checked; the validation rules are applied and every
 * problem is reported at once. Old fields get errors that say what to do instead.
 */
public final class ImageSetConfigurationReader {

  public static final String KIND = "ImageSetConfiguration";
  private static final Set<String> ARCHITECTURES = new java.util.TreeSet<>(List.of("amd64", "arm64", "ppc64le", "s390x", "multi"));
  private static final Set<String> CHANNEL_TYPES = new java.util.TreeSet<>(List.of("ocp", "okd"));
  private static final Pattern SEMVER = Pattern.compile("v?(0|[1-9]\\d*)(\\.(0|[1-9]\\d*))?(\\.(0|[1-9]\\d*))?"
      + "(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

  private final ObjectMapper yaml = YAMLMapper.builder(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      // `graph: "true"` or `minVersion: 4.20` (YAML's number 4.2) must not be quietly turned into something else.
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .withCoercionConfig(LogicalType.Textual, text -> text
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .serializationInclusion(JsonInclude.Include.NON_EMPTY)
      .build();

  public ImageSetConfiguration read(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidImageSetConfigurationException(List.of("the configuration is empty"));
    }
    JsonNode tree;
    try {
      rejectAliases(text);
      tree = yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidImageSetConfigurationException(List.of("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidImageSetConfigurationException(List.of("the configuration must be a YAML mapping with kind and mirror"));
    }
    List<String> problems = new ArrayList<>();
    if (tree.has("storageConfig")) {
      problems.add("storageConfig: this is an oc-mirror v1 (v1alpha2) configuration; oc-mirror --v2 keeps its state in the "
          + "workspace and cache and refuses storageConfig (\"unknown field\"). Remove storageConfig.");
    }
    JsonNode operators = tree.path("mirror").path("operators");
    for (int i = 0; i < operators.size(); i++) {
      JsonNode packages = operators.get(i).path("packages");
      for (int p = 0; p < packages.size(); p++) {
        if (packages.get(p).has("bundles")) {
          problems.add("mirror.operators[" + i + "].packages[" + p + "].bundles: bundles were removed from oc-mirror v2 "
              + "(CLID-303); select versions with channels and minVersion/maxVersion instead");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidImageSetConfigurationException(problems);
    }
    ImageSetConfiguration config;
    try {
      // Bound from the text, not the tree: a tree has already made YAML's number 4.2 out of "4.20".
      config = yaml.readValue(text, ImageSetConfiguration.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidImageSetConfigurationException(List.of(path(e) + ": unknown field \"" + e.getPropertyName()
          + "\"; oc-mirror refuses fields it does not know"));
    } catch (MismatchedInputException e) {
      String found = e.getPath().isEmpty() ? "" : " (found " + found(tree, e) + ")";
      String expected = e.getTargetType() == String.class
          ? "expected text" + found + "; YAML reads unquoted numbers and true/false as such (4.20 becomes 4.2): quote the value"
          : e.getTargetType() == Boolean.class ? "expected true or false" + found
          : e.getTargetType() == Integer.class ? "expected a whole number" + found
          : e.getOriginalMessage();
      throw new InvalidImageSetConfigurationException(List.of(path(e) + ": " + expected));
    } catch (JsonMappingException e) {
      throw new InvalidImageSetConfigurationException(List.of(path(e) + ": " + e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new InvalidImageSetConfigurationException(List.of(e.getOriginalMessage()));
    }
    validate(config, problems);
    if (!problems.isEmpty()) {
      throw new InvalidImageSetConfigurationException(problems);
    }
    return config;
  }

  /** {@code sha256:<hex>} of the configuration's meaning: formatting, comments and key order do not change it. */
  public static String digest(ImageSetConfiguration config) {
    try {
      ImageSetConfiguration.Mirror mirror = config.mirror();
      ImageSetConfiguration withoutSamples = new ImageSetConfiguration(config.kind(), null, config.archiveSize(),
          new ImageSetConfiguration.Mirror(mirror.platform(), mirror.operators(), mirror.additionalImages(), mirror.helm(),
              mirror.blockedImages(), null));
      return "sha256:" + Sha256.hex(CANONICAL.writeValueAsBytes(withoutSamples));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize the configuration", e);
    }
  }

  /**
   * oc-mirror expands YAML aliases ({@code *name}); Jackson would read one as the text of its name, so the file
   * would silently mean something else. They are refused, and so is a second YAML document in the file, which
   * oc-mirror would not read.
   */
  private void rejectAliases(String text) throws JsonProcessingException {
    try (JsonParser parser = yaml.createParser(text)) {
      int depth = 0;
      int documents = 0;
      com.fasterxml.jackson.core.JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
          throw new InvalidImageSetConfigurationException(List.of("the YAML alias *" + parser.getText() + " (line "
              + parser.currentTokenLocation().getLineNr() + ") is not supported; write the value out instead"));
        }
        if (depth == 0 && ++documents > 1) {
          throw new InvalidImageSetConfigurationException(List.of("the file holds more than one YAML document (a second "
              + "starts at line " + parser.currentTokenLocation().getLineNr() + "); an ImageSetConfiguration is one"));
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
      }
    } catch (JsonProcessingException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String found(JsonNode tree, JsonMappingException e) {
    JsonNode node = tree;
    for (JsonMappingException.Reference reference : e.getPath()) {
      node = reference.getFieldName() != null ? node.path(reference.getFieldName()) : node.path(reference.getIndex());
    }
    return node.isMissingNode() ? "nothing" : node.toString();
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(top level)" : path.toString();
  }

  private static void validate(ImageSetConfiguration config, List<String> problems) {
    if (!KIND.equals(config.kind())) {
      problems.add("kind: must be " + KIND + ", not " + (config.kind() == null ? "missing" : "'" + config.kind() + "'"));
    }
    if (config.archiveSize() != null && config.archiveSize() <= 0) {
      problems.add("archiveSize: must be a positive number of GiB, not " + config.archiveSize());
    }
    if (config.mirror() == null) {
      problems.add("mirror: is required");
      return;
    }
    ImageSetConfiguration.Mirror mirror = config.mirror();
    boolean selectsNothing = config.channels().isEmpty() && config.operators().isEmpty() && config.additionalImages().isEmpty()
        && (mirror.helm() == null || ImageSetConfiguration.listOf(mirror.helm().repositories()).isEmpty()
            && ImageSetConfiguration.listOf(mirror.helm().local()).isEmpty());
    if (selectsNothing) {
      problems.add("mirror: selects nothing (no release channel, operator catalog, additional image or Helm chart); "
          + "oc-mirror would stop with \"no images to copy\"");
    }
    ImageSetConfiguration.Platform platform = mirror.platform();
    if (platform != null) {
      if (!ImageSetConfiguration.listOf(platform.architectures()).isEmpty() && !ImageSetConfiguration.listOf(platform.platforms()).isEmpty()) {
        problems.add("mirror.platform: architectures (deprecated) and platforms must not be combined");
      }
      List<String> architectures = ImageSetConfiguration.listOf(platform.architectures());
      for (int i = 0; i < architectures.size(); i++) {
        if (!ARCHITECTURES.contains(architectures.get(i))) {
          problems.add("mirror.platform.architectures[" + i + "]: '" + architectures.get(i) + "' is not one of " + ARCHITECTURES);
        }
      }
      platforms("mirror.platform.platforms", platform.platforms(), problems);
      if (!blank(platform.release()) && !ImageReferences.valid(platform.release())) {
        problems.add("mirror.platform.release: '" + platform.release() + "' is not an image reference");
      }
      Set<String> channels = new HashSet<>();
      List<ImageSetConfiguration.Channel> list = ImageSetConfiguration.listOf(platform.channels());
      for (int i = 0; i < list.size(); i++) {
        ImageSetConfiguration.Channel channel = list.get(i);
        String at = "mirror.platform.channels[" + i + "]";
        if (blank(channel.name())) {
          problems.add(at + ".name: is required");
        } else if (!channels.add(channel.name() + "/" + (channel.type() == null ? "ocp" : channel.type()))) {
          problems.add(at + ": channel " + channel.name() + " is listed twice");
        }
        if (channel.type() != null && !CHANNEL_TYPES.contains(channel.type())) {
          problems.add(at + ".type: '" + channel.type() + "' is not one of " + CHANNEL_TYPES);
        }
        version(at + ".minVersion", channel.minVersion(), problems);
        version(at + ".maxVersion", channel.maxVersion(), problems);
      }
    }
    Set<String> catalogs = new HashSet<>();
    List<ImageSetConfiguration.Operator> operators = config.operators();
    for (int i = 0; i < operators.size(); i++) {
      ImageSetConfiguration.Operator operator = operators.get(i);
      String at = "mirror.operators[" + i + "]";
      if (blank(operator.catalog())) {
        problems.add(at + ".catalog: is required");
      } else if (!catalogs.add(operator.catalog() + "|" + operator.targetCatalog() + "|" + operator.targetTag())) {
        problems.add(at + ": catalog " + operator.catalog() + " is listed twice");
      } else if (!operator.catalog().startsWith("oci://") && !ImageReferences.valid(operator.catalog())) {
        problems.add(at + ".catalog: '" + operator.catalog() + "' is not an image reference");
      }
      if (operator.targetCatalog() != null && !ImageReferences.validPath(operator.targetCatalog())) {
        problems.add(at + ".targetCatalog: '" + operator.targetCatalog() + "' is not a repository path (lower-case, no tag"
            + " or digest)");
      }
      if (operator.targetTag() != null && !ImageReferences.validTag(operator.targetTag())) {
        problems.add(at + ".targetTag: '" + operator.targetTag() + "' is not a tag");
      }
      platforms(at + ".platforms", operator.platforms(), problems);
      Set<String> packages = new HashSet<>();
      List<ImageSetConfiguration.OperatorPackage> list = ImageSetConfiguration.listOf(operator.packages());
      for (int p = 0; p < list.size(); p++) {
        ImageSetConfiguration.OperatorPackage pkg = list.get(p);
        String pat = at + ".packages[" + p + "]";
        if (blank(pkg.name())) {
          problems.add(pat + ".name: is required");
        } else if (!packages.add(pkg.name())) {
          problems.add(pat + ": package " + pkg.name() + " is listed twice in catalog " + operator.catalog());
        }
        version(pat + ".minVersion", pkg.minVersion(), problems);
        version(pat + ".maxVersion", pkg.maxVersion(), problems);
        boolean packageRange = !blank(pkg.minVersion()) || !blank(pkg.maxVersion());
        Set<String> channels = new HashSet<>();
        List<ImageSetConfiguration.PackageChannel> pchannels = ImageSetConfiguration.listOf(pkg.channels());
        for (int c = 0; c < pchannels.size(); c++) {
          ImageSetConfiguration.PackageChannel channel = pchannels.get(c);
          String cat = pat + ".channels[" + c + "]";
          if (blank(channel.name())) {
            problems.add(cat + ".name: is required");
          } else if (!channels.add(channel.name())) {
            problems.add(cat + ": channel " + channel.name() + " is listed twice in package " + pkg.name());
          }
          version(cat + ".minVersion", channel.minVersion(), problems);
          version(cat + ".maxVersion", channel.maxVersion(), problems);
          if (packageRange && (!blank(channel.minVersion()) || !blank(channel.maxVersion()))) {
            problems.add(cat + ": package " + pkg.name() + " sets minVersion/maxVersion at package level and channel level; "
                + "use one or the other");
          }
        }
      }
    }
    List<ImageSetConfiguration.AdditionalImage> images = config.additionalImages();
    for (int i = 0; i < images.size(); i++) {
      ImageSetConfiguration.AdditionalImage image = images.get(i);
      String at = "mirror.additionalImages[" + i + "]";
      if (blank(image.name())) {
        problems.add(at + ".name: is required");
      } else if (!ImageReferences.valid(image.name())) {
        problems.add(at + ".name: '" + printable(image.name()) + "' is not an image reference a registry accepts");
      }
      if (image.targetRepo() != null && !ImageReferences.validPath(image.targetRepo())) {
        problems.add(at + ".targetRepo: '" + printable(image.targetRepo()) + "' is not a repository path");
      }
      if (image.targetTag() != null && !ImageReferences.validTag(image.targetTag())) {
        problems.add(at + ".targetTag: '" + printable(image.targetTag()) + "' is not a tag");
      }
      platforms(at + ".platforms", image.platforms(), problems);
    }
    helm(mirror.helm(), problems);
    List<ImageSetConfiguration.BlockedImage> blocked = config.blockedImages();
    for (int i = 0; i < blocked.size(); i++) {
      String name = blocked.get(i).name();
      if (blank(name)) {
        problems.add("mirror.blockedImages[" + i + "].name: is required");
        continue;
      }
      try {
        Pattern.compile(name);
        String unsupported = GoRegex.unsupported(name);
        if (unsupported != null) {
          problems.add("mirror.blockedImages[" + i + "].name: " + unsupported);
        }
      } catch (PatternSyntaxException e) {
        problems.add("mirror.blockedImages[" + i + "].name: '" + name + "' is not a valid regular expression: "
            + e.getDescription());
      }
    }
  }

  private static void platforms(String at, List<ImageSetConfiguration.PlatformSpec> platforms, List<String> problems) {
    List<ImageSetConfiguration.PlatformSpec> list = ImageSetConfiguration.listOf(platforms);
    for (int i = 0; i < list.size(); i++) {
      if (blank(list.get(i).os())) {
        problems.add(at + "[" + i + "].os: is required");
      }
      if (blank(list.get(i).architecture())) {
        problems.add(at + "[" + i + "].architecture: is required");
      }
    }
  }

  private static void helm(ImageSetConfiguration.Helm helm, List<String> problems) {
    if (helm == null) {
      return;
    }
    List<ImageSetConfiguration.HelmRepository> repositories = ImageSetConfiguration.listOf(helm.repositories());
    for (int i = 0; i < repositories.size(); i++) {
      ImageSetConfiguration.HelmRepository repository = repositories.get(i);
      String at = "mirror.helm.repositories[" + i + "]";
      if (blank(repository.name())) {
        problems.add(at + ".name: is required");
      }
      if (blank(repository.url()) || !repository.url().matches("(https?|oci)://\\S+")) {
        problems.add(at + ".url: an http(s):// or oci:// URL is required");
      }
      List<ImageSetConfiguration.Chart> charts = ImageSetConfiguration.listOf(repository.charts());
      for (int c = 0; c < charts.size(); c++) {
        if (blank(charts.get(c).name())) {
          problems.add(at + ".charts[" + c + "].name: is required");
        }
        platforms(at + ".charts[" + c + "].platforms", charts.get(c).platforms(), problems);
      }
    }
    List<ImageSetConfiguration.HelmLocal> local = ImageSetConfiguration.listOf(helm.local());
    for (int i = 0; i < local.size(); i++) {
      if (blank(local.get(i).name())) {
        problems.add("mirror.helm.local[" + i + "].name: is required");
      }
      if (blank(local.get(i).path())) {
        problems.add("mirror.helm.local[" + i + "].path: is required");
      }
    }
  }

  /** Control characters shown as escapes, so that a refusal is one readable line. */
  private static String printable(String value) {
    StringBuilder text = new StringBuilder();
    value.codePoints().forEach(c -> text.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
        : new String(Character.toChars(c))));
    return text.toString();
  }

  private static void version(String at, String value, List<String> problems) {
    if (!blank(value) && !SEMVER.matcher(value.trim()).matches()) {
      problems.add(at + ": '" + value + "' is not a semantic version (like 4.19.2)");
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
