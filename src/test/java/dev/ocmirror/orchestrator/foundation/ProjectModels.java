package dev.ocmirror.orchestrator.foundation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;

/** What the project's bpmn/ and forms/ folders hold, and what the engine has deployed of them. */
final class ProjectModels {

  private ProjectModels() {
  }

  static Set<String> filesInProject() {
    Set<String> names = new TreeSet<>();
    for (String folder : new String[] {"bpmn", "forms"}) {
      Path dir = Path.of(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(Files::isRegularFile)
            .map(path -> path.getFileName().toString())
            .filter(name -> name.endsWith(".bpmn") || name.endsWith(".form"))
            .forEach(names::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  /** Every deployed definition of a model from bpmn/, each version. */
  static java.util.List<org.camunda.bpm.engine.repository.ProcessDefinition> processDefinitions(RepositoryService repository) {
    Set<String> models = filesInProject();
    return repository.createProcessDefinitionQuery().list().stream()
        .filter(definition -> models.contains(Path.of(definition.getResourceName()).getFileName().toString()))
        .toList();
  }

  static Set<String> deployedResourceNames(RepositoryService repository) {
    Set<String> names = new TreeSet<>();
    for (Deployment deployment : repository.createDeploymentQuery().list()) {
      for (String resource : repository.getDeploymentResourceNames(deployment.getId())) {
        names.add(Path.of(resource).getFileName().toString());
      }
    }
    return names;
  }
}
