package dev.ocmirror.orchestrator.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.support.Fixtures;
import dev.ocmirror.orchestrator.support.HttpApi;
import dev.ocmirror.orchestrator.support.ServiceTest;
import dev.ocmirror.orchestrator.support.WebappSession;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ServiceTest
class AccessControlTest {

  @LocalServerPort
  int port;
  @Autowired
  RepositoryService repository;
  @Autowired
  AuthorizationService authorizations;
  @Autowired
  FilterService filters;

  HttpApi anonymous;
  HttpApi operator;
  HttpApi compliance;

  @BeforeEach
  void setUp() {
    Fixtures.deployAccessProbe(repository);
    anonymous = HttpApi.anonymous(port);
    operator = anonymous.as("op", "op-secret");
    compliance = anonymous.as("comp", "comp-secret");
  }

  @Test
  void apisRefuseCallersWithoutCredentials() {
    assertThat(anonymous.get("/engine-rest/process-definition").status()).isEqualTo(401);
    assertThat(anonymous.get("/engine-rest/engine").status()).isEqualTo(401);
    assertThat(anonymous.post("/engine-rest/process-definition/key/access-probe/start", "{}").status()).isEqualTo(401);
    assertThat(anonymous.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void apisRefuseAWrongPassword() {
    assertThat(anonymous.as("mistyped", "not-the-password").get("/api/me").status()).isEqualTo(401);
    assertThat(anonymous.as("mistyped", "not-the-password").get("/engine-rest/task").status()).isEqualTo(401);
    assertThat(anonymous.as("nobody", "op-secret").get("/engine-rest/task").status()).isEqualTo(401);
  }

  @Test
  void healthIsOpenAndEverythingUnknownIsClosed() {
    HttpApi.Response health = anonymous.get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("UP");
    assertThat(anonymous.get("/actuator/env").status()).isIn(401, 403);
    assertThat(anonymous.get("/actuator/beans").status()).isIn(401, 403);
    assertThat(anonymous.get("/h2-console").status()).isIn(401, 403);
  }

  @Test
  void theWebappSignInOpensThePagesAndReadingTheAuditButNoWriteThroughTheApi() {
    assertThat(anonymous.get("/lifecycles").status()).as("sent to the sign-in page").isEqualTo(302);
    assertThat(anonymous.get("/sign-in").body()).contains("id=\"sign-in\"");
    assertThat(anonymous.get("/sign-in?next=https://evil.example/").body()).doesNotContain("evil.example");

    WebappSession comp = WebappSession.signIn(port, "comp", "comp-secret", "cockpit");
    assertThat(comp.page("/lifecycles").status()).isEqualTo(200);
    assertThat(comp.page("/api/audit/lifecycles").status()).as("the audit with the same sign-in").isEqualTo(200);
    assertThat(comp.page("/lifecycles/new-update").status()).as("compliance starts nothing").isEqualTo(403);

    WebappSession op = WebappSession.signIn(port, "op", "op-secret");
    assertThat(op.page("/lifecycles").status()).isEqualTo(200);
    assertThat(op.page("/api/audit/lifecycles").status()).as("the audit is not the operators'").isEqualTo(403);
    assertThat(op.postForm("/api/station/site-reports", "").status())
        .as("the session reads the API; writing takes credentials").isEqualTo(401);
    assertThat(op.postForm("/lifecycles/new-update", "imagesetConfig=x").status())
        .as("a start from the pages needs the page's own CSRF token").isEqualTo(403);
    assertThat(anonymous.get("/lifecycles/new-update").status()).isEqualTo(302);
  }

  @Test
  void theEngineKnowsTheCallerAndTheirGroups() {
    HttpApi.Response response = operator.get("/api/me");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode me = response.json();
    assertThat(me.path("userId").asText()).isEqualTo("op");
    assertThat(me.path("groups")).extracting(JsonNode::asText).containsExactly("operators");
  }

  @Test
  void anOperatorStartsAndCompletesWhileComplianceOnlyReads() {
    assertThat(compliance.post("/engine-rest/process-definition/key/access-probe/start", "{}").status()).isEqualTo(403);

    HttpApi.Response started = operator.post("/engine-rest/process-definition/key/access-probe/start", "{}");
    assertThat(started.status()).isEqualTo(200);
    String instanceId = started.json().path("id").asText();

    JsonNode operatorTasks = operator.get("/engine-rest/task?processInstanceId=" + instanceId).json();
    assertThat(operatorTasks).hasSize(1);
    String taskId = operatorTasks.get(0).path("id").asText();

    assertThat(compliance.get("/engine-rest/task?processInstanceId=" + instanceId).json()).isEmpty();
    assertThat(compliance.post("/engine-rest/task/" + taskId + "/complete", "{}").status()).isEqualTo(403);
    assertThat(compliance.post("/engine-rest/task/" + taskId + "/claim", "{\"userId\":\"comp\"}").status()).isEqualTo(403);

    assertThat(operator.post("/engine-rest/task/" + taskId + "/complete", "{}").status()).isEqualTo(204);

    JsonNode history = compliance.get("/engine-rest/history/process-instance?processInstanceId=" + instanceId).json();
    assertThat(history).hasSize(1);
    assertThat(history.get(0).path("state").asText()).isEqualTo("COMPLETED");
    assertThat(history.get(0).path("startUserId").asText()).isEqualTo("op");

    JsonNode operations = compliance.get("/engine-rest/history/user-operation?taskId=" + taskId).json();
    assertThat(operations).anySatisfy(entry -> {
      assertThat(entry.path("operationType").asText()).isEqualTo("Complete");
      assertThat(entry.path("userId").asText()).isEqualTo("op");
    });
  }

  @Test
  void onlyOperatorsMayStartTheLifecycleProcesses() {
    for (String key : Processes.LIFECYCLES) {
      assertThat(authorizations.isUserAuthorized("op", List.of(AccessGroups.OPERATORS),
          ProcessDefinitionPermissions.CREATE_INSTANCE, Resources.PROCESS_DEFINITION, key)).as(key).isTrue();
      for (String group : List.of(AccessGroups.COMPLIANCE, AccessGroups.CHANGE_MANAGERS)) {
        assertThat(authorizations.isUserAuthorized("someone", List.of(group),
            ProcessDefinitionPermissions.CREATE_INSTANCE, Resources.PROCESS_DEFINITION, key)).as(group + " " + key).isFalse();
      }
    }
  }

  @Autowired
  IdentityBootstrap bootstrap;
  @Autowired
  org.camunda.bpm.engine.ProcessEngine engine;

  @Test
  void noGroupButAdminsMayChangeInstancesAndAGrantFromAnEarlierVersionIsWithdrawnAtStart() {
    var changing = List.of(ProcessDefinitionPermissions.UPDATE_INSTANCE, ProcessDefinitionPermissions.DELETE_INSTANCE,
        ProcessDefinitionPermissions.MIGRATE_INSTANCE, ProcessDefinitionPermissions.SUSPEND_INSTANCE,
        ProcessDefinitionPermissions.UPDATE_INSTANCE_VARIABLE);
    var earlier = authorizations.createAuthorizationQuery().groupIdIn(AccessGroups.OPERATORS)
        .resourceType(Resources.PROCESS_DEFINITION).resourceId("*").singleResult();
    earlier.addPermission(ProcessDefinitionPermissions.UPDATE_INSTANCE);
    authorizations.saveAuthorization(earlier);

    bootstrap.postProcessEngineBuild(engine);

    for (String group : List.of(AccessGroups.OPERATORS, AccessGroups.CHANGE_MANAGERS, AccessGroups.COMPLIANCE)) {
      for (var permission : changing) {
        assertThat(authorizations.isUserAuthorized("someone", List.of(group), permission, Resources.PROCESS_DEFINITION,
            "enclave-delivery")).as(group + " " + permission.getName()).isFalse();
      }
    }
    assertThat(authorizations.isUserAuthorized("someone", List.of(AccessGroups.ADMINS),
        ProcessDefinitionPermissions.UPDATE_INSTANCE, Resources.PROCESS_DEFINITION, "enclave-delivery")).isTrue();
  }

  @Test
  void eachGroupFindsASharedTasklistFilter() {
    assertThat(filters.createTaskFilterQuery().filterName(IdentityBootstrap.OPERATOR_FILTER).count()).isEqualTo(1);
    JsonNode operatorFilters = operator.get("/engine-rest/filter?resourceType=Task").json();
    assertThat(operatorFilters).extracting(f -> f.path("name").asText())
        .contains(IdentityBootstrap.OPERATOR_FILTER, IdentityBootstrap.MY_TASKS_FILTER)
        .doesNotContain(IdentityBootstrap.APPROVAL_FILTER);
    JsonNode managerFilters = anonymous.as("cm", "cm-secret").get("/engine-rest/filter?resourceType=Task").json();
    assertThat(managerFilters).extracting(f -> f.path("name").asText())
        .contains(IdentityBootstrap.APPROVAL_FILTER, IdentityBootstrap.MY_TASKS_FILTER)
        .doesNotContain(IdentityBootstrap.OPERATOR_FILTER);
    assertThat(compliance.get("/engine-rest/filter?resourceType=Task").json()).isEmpty();
  }
}
