package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.EndEvents;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Errors;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Topics;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.ImportGeneration;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.MirrorToDisk;
import dev.ocmirror.orchestrator.support.ServiceTest;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.RepositoryServiceImpl;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.task.listener.DelegateExpressionTaskListener;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Holds Java and the models in bpmn/ and forms/ together: every name the one uses, the other has, and every
 * reference resolves. A failure names the model element and what it lacks.
 */
@ServiceTest
class ProcessContractTest {

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern LEADING_NAME = Pattern.compile("^[!\\s(]*([A-Za-z_][A-Za-z0-9_]*)");
  private static final Set<String> EXPRESSION_WORDS = Set.of("execution", "task", "true", "false", "null", "not", "empty");

  @Autowired
  ApplicationContext context;
  @Autowired
  RepositoryService repository;
  @Autowired
  ProcessEngineConfiguration engineConfiguration;
  @Autowired
  LifecycleProperties properties;
  @Autowired
  Hosts hosts;
  @Autowired
  ImportGeneration importGeneration;

  private static final Map<String, BpmnModelInstance> MODELS = models();

  @Test
  void everyProcessOfTheContractIsAModelAndEveryModelIsInTheContract() {
    Set<String> modelled = MODELS.values().stream().flatMap(model -> model.getModelElementsByType(Process.class).stream())
        .map(Process::getId).collect(Collectors.toSet());
    assertThat(modelled).containsExactlyInAnyOrderElementsOf(constants(Processes.class)).containsExactlyInAnyOrderElementsOf(Processes.ALL);
    assertThat(modelled).containsAll(Processes.LIFECYCLES).containsAll(Processes.BUILDING);
  }

  @Test
  void everyUserTaskIsInTheContractAndEveryContractTaskIsModelled() {
    assertThat(ids(UserTask.class)).containsExactlyInAnyOrderElementsOf(constants(UserTasks.class));
    assertThat(ids(UserTask.class)).containsAll(UserTasks.APPROVALS).containsAll(UserTasks.CUSTODY);
  }

  @Test
  void everyEndEventJavaReadsIsModelled() {
    assertThat(ids(EndEvent.class)).containsAll(constants(EndEvents.class));
  }

  @Test
  void everyTopicIsWorkedByAStepAndEveryStepHasItsTopic() {
    Set<String> topics = elements(ServiceTask.class).stream().map(ServiceTask::getCamundaTopic)
        .filter(topic -> topic != null).collect(Collectors.toSet());
    assertThat(topics).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    assertThat(OcMirrorWorker.stepsByTopic(MirrorToDisk.dryRun(properties, hosts),
        MirrorToDisk.archives(properties, hosts), importGeneration).keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
  }

  @Test
  void everyErrorCodeIsRaisedByJavaOrAModelAndCaughtByAModel() {
    Set<String> raisedByJava = Arrays.stream(DecisionNeeded.Reason.values()).map(Enum::name).collect(Collectors.toSet());
    Set<String> thrownByModels = new TreeSet<>();
    Set<String> caught = new TreeSet<>();
    for (ErrorEventDefinition definition : elements(ErrorEventDefinition.class)) {
      assertThat(definition.getError()).as("error event " + ((BaseElement) definition.getParentElement()).getId()
          + " names an error").isNotNull();
      String code = definition.getError().getErrorCode();
      if (definition.getParentElement() instanceof BoundaryEvent) {
        caught.add(code);
      } else {
        thrownByModels.add(code);
      }
    }
    assertThat(thrownByModels).containsExactlyInAnyOrderElementsOf(constants(Errors.class));
    Set<String> raised = new TreeSet<>(raisedByJava);
    raised.addAll(thrownByModels);
    assertThat(caught).as("every caught error is raised somewhere").isSubsetOf(raised);
    assertThat(raised).as("every raised error is caught somewhere").isSubsetOf(caught);
  }

  @Test
  void everyDelegateExpressionIsABeanOfTheRightKind() {
    for (ServiceTask task : elements(ServiceTask.class)) {
      if (task.getCamundaTopic() != null) {
        continue;
      }
      assertThat(task.getCamundaDelegateExpression()).as("service task " + task.getId()).isNotNull();
      assertThat(bean(task.getCamundaDelegateExpression())).as("delegate of service task " + task.getId())
          .isInstanceOf(JavaDelegate.class);
    }
    for (CamundaExecutionListener listener : elements(CamundaExecutionListener.class)) {
      assertThat(bean(listener.getCamundaDelegateExpression())).as("execution listener "
          + listener.getCamundaDelegateExpression()).isInstanceOf(ExecutionListener.class);
    }
  }

  @Test
  void everyNameAnExpressionStartsWithIsABeanOrAVariableOfTheContract() {
    Set<String> variables = constants(Variables.class);
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> model : modelTexts().entrySet()) {
      Matcher expression = EXPRESSION.matcher(model.getValue());
      while (expression.find()) {
        Matcher name = LEADING_NAME.matcher(expression.group(1));
        if (!name.find()) {
          continue;
        }
        String leading = name.group(1);
        if (!EXPRESSION_WORDS.contains(leading) && !variables.contains(leading) && !context.containsBean(leading)) {
          unknown.add(model.getKey() + ": ${" + expression.group(1) + "}");
        }
      }
    }
    assertThat(unknown).as("expressions naming neither a bean nor a variable").isEmpty();
  }

  @Test
  void theModelsDeclareNoTaskListenerAndNoRetryCycleOfTheirOwn() {
    assertThat(elements(CamundaTaskListener.class)).as("task listeners come from ModelConventions").isEmpty();
    assertThat(modelTexts().values()).noneMatch(text -> text.contains("failedJobRetryTimeCycle"));
    assertThat(((org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engineConfiguration)
        .getFailedJobRetryTimeCycle()).isEqualTo("R3/PT1M").isEqualTo(RetryPolicy.timeCycle());
  }

  @Test
  void everyDeployedUserTaskHasTheListenersThatGuardIt() {
    RepositoryServiceImpl engineRepository = (RepositoryServiceImpl) repository;
    int checked = 0;
    for (ProcessDefinition definition : repository.createProcessDefinitionQuery().latestVersion().list()) {
      ProcessDefinitionEntity deployed = (ProcessDefinitionEntity) engineRepository.getDeployedProcessDefinition(
          definition.getId());
      for (ActivityImpl activity : allActivities(deployed.getActivities())) {
        if (!(activity.getActivityBehavior() instanceof UserTaskActivityBehavior userTask)) {
          continue;
        }
        checked++;
        for (String event : List.of(TaskListener.EVENTNAME_CREATE, TaskListener.EVENTNAME_ASSIGNMENT,
            TaskListener.EVENTNAME_COMPLETE, TaskListener.EVENTNAME_DELETE)) {
          List<String> expected = ModelConventions.listenersOf(activity.getId()).stream()
              .filter(attachment -> attachment.events().contains(event)).map(attachment -> "${" + attachment.bean() + "}")
              .toList();
          List<String> actual = userTask.getTaskDefinition().getTaskListeners().getOrDefault(event, List.of()).stream()
              .filter(DelegateExpressionTaskListener.class::isInstance)
              .map(listener -> ((DelegateExpressionTaskListener) listener).getExpressionText()).toList();
          assertThat(actual).as(definition.getKey() + "/" + activity.getId() + " on " + event).isEqualTo(expected);
        }
        assertThat(ModelConventions.listenersOf(activity.getId()).get(0).bean()).isEqualTo(SubmittedValues.BEAN);
      }
    }
    assertThat(checked).isEqualTo(constants(UserTasks.class).size());
    assertThat(ModelConventions.listenersOf(UserTasks.REVIEW_TRANSFER)).extracting(ModelConventions.Attachment::bean)
        .containsExactly(SubmittedValues.BEAN, FourEyes.BEAN);
    assertThat(ModelConventions.listenersOf(UserTasks.CONFIRM_RECEIPT)).extracting(ModelConventions.Attachment::bean)
        .containsExactly(SubmittedValues.BEAN, Custody.BEAN);
  }

  @Test
  void everyFormReferenceIsAFormAndEveryFormFieldIsAVariableOfTheContract() throws IOException {
    Map<String, JsonNode> forms = forms();
    Set<String> referenced = new HashSet<>();
    List<BaseElement> withForms = new ArrayList<>(elements(UserTask.class));
    withForms.addAll(elements(StartEvent.class));
    for (BaseElement element : withForms) {
      String ref = element instanceof UserTask task ? task.getCamundaFormRef() : ((StartEvent) element).getCamundaFormRef();
      if (element instanceof UserTask) {
        assertThat(ref).as("user task " + element.getId() + " has a form").isNotNull();
      }
      if (ref != null) {
        assertThat(forms).as("form of " + element.getId()).containsKey(ref);
        referenced.add(ref);
      }
    }
    assertThat(referenced).as("every form is used").containsExactlyInAnyOrderElementsOf(forms.keySet());
    Set<String> variables = constants(Variables.class);
    for (Map.Entry<String, JsonNode> form : forms.entrySet()) {
      assertThat(form.getValue().path("id").asText()).as("id of " + form.getKey() + ".form").isEqualTo(form.getKey());
      assertThat(fieldKeys(form.getValue())).as("fields of " + form.getKey()).isNotEmpty().isSubsetOf(variables);
    }
  }

  @Test
  void theContractsVariablesAreNamedOnce() {
    List<String> names = constantValues(Variables.class);
    assertThat(names).doesNotHaveDuplicates();
  }

  private Object bean(String delegateExpression) {
    Matcher bean = Pattern.compile("^\\$\\{([A-Za-z0-9_]+)}$").matcher(delegateExpression);
    assertThat(bean.matches()).as(delegateExpression + " names a bean").isTrue();
    assertThat(context.containsBean(bean.group(1))).as("bean " + bean.group(1)).isTrue();
    return context.getBean(bean.group(1));
  }

  private static List<ActivityImpl> allActivities(List<ActivityImpl> activities) {
    List<ActivityImpl> all = new ArrayList<>();
    for (ActivityImpl activity : activities) {
      all.add(activity);
      all.addAll(allActivities(activity.getActivities()));
    }
    return all;
  }

  private static Set<String> fieldKeys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    if (node.has("key")) {
      keys.add(node.get("key").asText());
    }
    node.path("components").forEach(child -> keys.addAll(fieldKeys(child)));
    return keys;
  }

  private static <T extends org.camunda.bpm.model.xml.instance.ModelElementInstance> List<T> elements(Class<T> type) {
    return MODELS.values().stream().flatMap(model -> model.getModelElementsByType(type).stream()).toList();
  }

  private static <T extends BaseElement> Set<String> ids(Class<T> type) {
    return elements(type).stream().map(BaseElement::getId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> constants(Class<?> holder) {
    return new TreeSet<>(constantValues(holder));
  }

  private static List<String> constantValues(Class<?> holder) {
    return Arrays.stream(holder.getFields())
        .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
        .map(field -> {
          try {
            return (String) field.get(null);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }).toList();
  }

  private static Map<String, BpmnModelInstance> models() {
    Map<String, BpmnModelInstance> models = new TreeMap<>();
    modelTexts().keySet().forEach(file -> models.put(file, Bpmn.readModelFromFile(Path.of("bpmn", file).toFile())));
    return models;
  }

  private static Map<String, String> modelTexts() {
    return filesIn("bpmn", ".bpmn");
  }

  private static Map<String, JsonNode> forms() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> forms = new TreeMap<>();
    for (Map.Entry<String, String> form : filesIn("forms", ".form").entrySet()) {
      forms.put(form.getKey().substring(0, form.getKey().length() - ".form".length()), json.readTree(form.getValue()));
    }
    return forms;
  }

  private static Map<String, String> filesIn(String folder, String suffix) {
    Map<String, String> texts = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of(folder))) {
      for (Path file : files.filter(path -> path.toString().endsWith(suffix)).toList()) {
        texts.put(file.getFileName().toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return texts;
  }
}
