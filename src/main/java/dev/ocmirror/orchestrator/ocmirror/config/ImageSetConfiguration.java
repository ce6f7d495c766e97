package dev.ocmirror.orchestrator.ocmirror.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * oc-mirror's ImageSetConfiguration ({@code mirror.openshift.io/v2alpha1}), field names exactly as its YAML
 * (contract section 4). Absent lists are null; {@link #listOf} reads them as empty.
 */
public record ImageSetConfiguration(String kind, String apiVersion, Integer archiveSize, Mirror mirror) {

  public record Mirror(Platform platform, List<Operator> operators, List<AdditionalImage> additionalImages, Helm helm,
      List<BlockedImage> blockedImages, JsonNode samples) {
  }

  public record Platform(List<Channel> channels, Boolean graph, List<String> architectures, String release,
      Boolean kubeVirtContainer, List<PlatformSpec> platforms) {
  }

  public record Channel(String name, String type, String minVersion, String maxVersion, Boolean shortestPath, Boolean full) {
  }

  public record PlatformSpec(String os, String architecture) {
  }

  public record Operator(String catalog, String targetCatalog, String targetTag, Boolean full, Boolean skipDependencies,
      String targetCatalogSourceTemplate, List<PlatformSpec> platforms, List<OperatorPackage> packages) {
  }

  public record OperatorPackage(String name, String defaultChannel, String minVersion, String maxVersion,
      List<PackageChannel> channels) {
  }

  public record PackageChannel(String name, String minVersion, String maxVersion) {
  }

  public record AdditionalImage(String name, String targetRepo, String targetTag, List<PlatformSpec> platforms) {
  }

  public record Helm(List<HelmRepository> repositories, List<HelmLocal> local) {
  }

  public record HelmRepository(String name, String url, List<Chart> charts) {
  }

  public record Chart(String name, String version, List<String> imagePaths, List<PlatformSpec> platforms) {
  }

  public record HelmLocal(String name, String path, List<String> imagePaths) {
  }

  public record BlockedImage(String name) {
  }

  public static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : list;
  }

  public List<Channel> channels() {
    return mirror.platform() == null ? List.of() : listOf(mirror.platform().channels());
  }

  public List<Operator> operators() {
    return listOf(mirror.operators());
  }

  public List<AdditionalImage> additionalImages() {
    return listOf(mirror.additionalImages());
  }

  public List<BlockedImage> blockedImages() {
    return listOf(mirror.blockedImages());
  }

  public List<HelmRepository> helmRepositories() {
    return mirror.helm() == null ? List.of() : listOf(mirror.helm().repositories());
  }

  public boolean graph() {
    return mirror.platform() != null && Boolean.TRUE.equals(mirror.platform().graph());
  }
}
