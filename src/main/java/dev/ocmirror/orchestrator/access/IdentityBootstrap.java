package dev.ocmirror.orchestrator.access;

import static dev.ocmirror.orchestrator.access.AccessGroups.ADMINS;
import static dev.ocmirror.orchestrator.access.AccessGroups.CAMUNDA_ADMIN;
import static dev.ocmirror.orchestrator.access.AccessGroups.CHANGE_MANAGERS;
import static dev.ocmirror.orchestrator.access.AccessGroups.COMPLIANCE;
import static dev.ocmirror.orchestrator.access.AccessGroups.OPERATORS;
import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.UserOperationLogCategoryPermissions;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.TaskQuery;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Brings groups, grants, Tasklist filters and the first users into the engine before the web server takes
 * requests, and makes the {@code admins} group an engine administrator. Every step is idempotent: a restart
 * changes nothing an administrator has set up since, it only adds what is missing.
 */
@Component
public class IdentityBootstrap extends AbstractCamundaConfiguration {

  private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);

  static final String OPERATOR_FILTER = "Operator tasks";
  static final String APPROVAL_FILTER = "Approvals";
  static final String MY_TASKS_FILTER = "My tasks";

  /** Words of letters and digits joined by single hyphens: no spaces, slashes or other characters. */
  static final String RESOURCE_ID_PATTERN = "[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*";

  /** Changing, deleting, migrating or suspending instances is for admins only (docs/security.md). */
  private static final Permission[] ADMINS_ONLY_ON_INSTANCES = {ProcessDefinitionPermissions.UPDATE_INSTANCE, ProcessDefinitionPermissions.DELETE_INSTANCE, ProcessDefinitionPermissions.MIGRATE_INSTANCE, ProcessDefinitionPermissions.SUSPEND_INSTANCE, ProcessDefinitionPermissions.UPDATE_INSTANCE_VARIABLE};

  private final AccessProperties properties;

  public IdentityBootstrap(AccessProperties properties) {
    this.properties = properties;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<String> adminGroups = new ArrayList<>();
    if (configuration.getAdminGroups() != null) {
      adminGroups.addAll(configuration.getAdminGroups());
    }
    for (String group : List.of(CAMUNDA_ADMIN, ADMINS)) {
      if (!adminGroups.contains(group)) {
        adminGroups.add(group);
      }
    }
    configuration.setAdminGroups(adminGroups);
    // The engine accepts only [a-zA-Z0-9]+ ids by default; the product's group names (change-managers) have hyphens.
    configuration.setGeneralResourceWhitelistPattern(RESOURCE_ID_PATTERN);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    createGroups(identity);
    grantGroupRights(engine.getAuthorizationService());
    createSharedFilters(engine);
    createInitialAdmin(identity);
    properties.users().forEach(user -> createUser(identity, user));
    requireAnAdministrator(identity);
  }

  private void createGroups(IdentityService identity) {
    Map<String, String> names = Map.of(
        OPERATORS, "Operators",
        CHANGE_MANAGERS, "Change managers",
        COMPLIANCE, "Compliance (read-only)",
        ADMINS, "Administrators",
        CAMUNDA_ADMIN, "Camunda administrators");
    names.forEach((id, name) -> {
      if (identity.createGroupQuery().groupId(id).singleResult() == null) {
        Group group = identity.newGroup(id);
        group.setName(name);
        group.setType("WORKFLOW");
        identity.saveGroup(group);
        log.info("Created group {}", id);
      }
    });
  }

  private void grantGroupRights(AuthorizationService authorizations) {
    Grants grants = new Grants(authorizations);

    grants.grant(OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    grants.grant(OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    grants.grant(OPERATORS, Resources.DEPLOYMENT, ANY, Permissions.READ);
    // Nothing that changes instances: updating one opens modification, restarts and variable writes.
    grants.grant(OPERATORS, Resources.PROCESS_DEFINITION, ANY,
        ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.READ_INSTANCE,
        ProcessDefinitionPermissions.READ_HISTORY, ProcessDefinitionPermissions.RETRY_JOB);
    for (String key : properties.operatorStartableProcesses()) {
      grants.grant(OPERATORS, Resources.PROCESS_DEFINITION, key, ProcessDefinitionPermissions.CREATE_INSTANCE);
    }
    grants.grant(OPERATORS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE);

    grants.grant(CHANGE_MANAGERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    grants.grant(CHANGE_MANAGERS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    grants.grant(CHANGE_MANAGERS, Resources.DEPLOYMENT, ANY, Permissions.READ);
    grants.grant(CHANGE_MANAGERS, Resources.PROCESS_DEFINITION, ANY,
        ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.READ_INSTANCE,
        ProcessDefinitionPermissions.READ_HISTORY);

    // Compliance reads and never acts: no CREATE_INSTANCE, no task or instance update anywhere.
    grants.grant(COMPLIANCE, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    grants.grant(COMPLIANCE, Resources.DEPLOYMENT, ANY, Permissions.READ);
    grants.grant(COMPLIANCE, Resources.PROCESS_DEFINITION, ANY,
        ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.READ_INSTANCE,
        ProcessDefinitionPermissions.READ_HISTORY, ProcessDefinitionPermissions.READ_HISTORY_VARIABLE);
    grants.grant(COMPLIANCE, Resources.OPERATION_LOG_CATEGORY, ANY, UserOperationLogCategoryPermissions.READ);

    for (Resource resource : Resources.values()) {
      grants.grant(ADMINS, resource, ANY, Permissions.ALL);
    }
    for (String group : List.of(OPERATORS, CHANGE_MANAGERS, COMPLIANCE)) {
      grants.withdraw(group, Resources.PROCESS_DEFINITION, ANY, ADMINS_ONLY_ON_INSTANCES);
    }
  }

  private void createSharedFilters(ProcessEngine engine) {
    FilterService filters = engine.getFilterService();
    Grants grants = new Grants(engine.getAuthorizationService());
    TaskQuery operatorWork = engine.getTaskService().createTaskQuery().taskCandidateGroup(OPERATORS).includeAssignedTasks();
    TaskQuery approvals = engine.getTaskService().createTaskQuery().taskCandidateGroup(CHANGE_MANAGERS).includeAssignedTasks();
    TaskQuery mine = engine.getTaskService().createTaskQuery().taskAssigneeExpression("${currentUser()}");

    grants.grant(OPERATORS, Resources.FILTER, sharedFilter(filters, OPERATOR_FILTER, operatorWork, -10,
        "Handover, receipt and incident decisions for operators"), Permissions.READ);
    grants.grant(CHANGE_MANAGERS, Resources.FILTER, sharedFilter(filters, APPROVAL_FILTER, approvals, -5,
        "Transfers, imports and rollbacks waiting for a change manager"), Permissions.READ);
    String myTasks = sharedFilter(filters, MY_TASKS_FILTER, mine, 0, "Tasks you have claimed");
    grants.grant(OPERATORS, Resources.FILTER, myTasks, Permissions.READ);
    grants.grant(CHANGE_MANAGERS, Resources.FILTER, myTasks, Permissions.READ);
  }

  private String sharedFilter(FilterService filters, String name, TaskQuery query, int priority, String description) {
    Filter existing = filters.createTaskFilterQuery().filterName(name).singleResult();
    if (existing != null) {
      return existing.getId();
    }
    Filter filter = filters.newTaskFilter(name)
        .setQuery(query)
        .setProperties(Map.of("priority", priority, "description", description, "refresh", true));
    filters.saveFilter(filter);
    log.info("Created shared Tasklist filter '{}'", name);
    return filter.getId();
  }

  private void createInitialAdmin(IdentityService identity) {
    AccessProperties.InitialAdmin admin = properties.initialAdmin();
    if (admin.password() == null || admin.password().isBlank()) {
      return;
    }
    createUser(identity, new AccessProperties.SeedUser(admin.id(), admin.password(), "Initial", "Administrator", null,
        List.of(ADMINS, CAMUNDA_ADMIN)));
  }

  private void createUser(IdentityService identity, AccessProperties.SeedUser seed) {
    if (seed.id() == null || seed.id().isBlank()) {
      throw new IllegalStateException("orchestrator.access.users: every user needs an id");
    }
    if (identity.createUserQuery().userId(seed.id()).singleResult() == null) {
      if (seed.password() == null || seed.password().isBlank()) {
        throw new IllegalStateException("orchestrator.access.users: user '" + seed.id() + "' has no password");
      }
      User user = identity.newUser(seed.id());
      user.setPassword(seed.password());
      user.setFirstName(seed.firstName() == null ? seed.id() : seed.firstName());
      user.setLastName(seed.lastName() == null ? "" : seed.lastName());
      user.setEmail(seed.email());
      identity.saveUser(user);
      log.info("Created user {}", seed.id());
    }
    for (String group : seed.groups()) {
      if (identity.createGroupQuery().groupId(group).singleResult() == null) {
        throw new IllegalStateException("orchestrator.access.users: user '" + seed.id()
            + "' names unknown group '" + group + "'; known groups: " + AccessGroups.ALL);
      }
      if (identity.createUserQuery().userId(seed.id()).memberOfGroup(group).count() == 0) {
        identity.createMembership(seed.id(), group);
      }
    }
  }

  /**
   * Without a member of camunda-admin, Camunda's Admin webapp lets the first visitor create an administrator.
   * The service therefore refuses to start until one exists.
   */
  private void requireAnAdministrator(IdentityService identity) {
    if (identity.createUserQuery().memberOfGroup(CAMUNDA_ADMIN).count() == 0) {
      throw new IllegalStateException("No administrator exists. Set ORCHESTRATOR_ADMIN_PASSWORD (and optionally "
          + "ORCHESTRATOR_ADMIN_ID, default 'admin') for the first start, or start with the 'demo' profile.");
    }
  }

  /**
   * Adds permissions to the one grant a group holds on a resource, creating it when missing; withdraws those an
   * earlier version granted and docs/security.md no longer holds.
   */
  private static final class Grants {
    private final AuthorizationService authorizations;

    Grants(AuthorizationService authorizations) {
      this.authorizations = authorizations;
    }

    /** The one grant a group holds on a resource, or null. */
    private Authorization existing(String groupId, Resource resource, String resourceId) {
      return authorizations.createAuthorizationQuery()
          .authorizationType(AUTH_TYPE_GRANT)
          .groupIdIn(groupId)
          .resourceType(resource)
          .resourceId(resourceId)
          .singleResult();
    }

    void grant(String groupId, Resource resource, String resourceId, Permission... permissions) {
      Authorization authorization = existing(groupId, resource, resourceId);
      if (authorization == null) {
        authorization = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
        authorization.setGroupId(groupId);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
      }
      boolean changed = authorization.getId() == null;
      for (Permission permission : permissions) {
        if (!authorization.isPermissionGranted(permission)) {
          authorization.addPermission(permission);
          changed = true;
        }
      }
      if (changed) {
        authorizations.saveAuthorization(authorization);
      }
    }

    void withdraw(String groupId, Resource resource, String resourceId, Permission... permissions) {
      Authorization authorization = existing(groupId, resource, resourceId);
      if (authorization == null) {
        return;
      }
      boolean changed = false;
      for (Permission permission : permissions) {
        if (authorization.isPermissionGranted(permission)) {
          authorization.removePermission(permission);
          changed = true;
          log.warn("Withdrew {} on {} {} from group {}: an earlier version granted it", permission.getName(),
              resource.resourceName(), resourceId, groupId);
        }
      }
      if (changed) {
        authorizations.saveAuthorization(authorization);
      }
    }
  }
}
