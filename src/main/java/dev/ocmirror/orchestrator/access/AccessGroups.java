package dev.ocmirror.orchestrator.access;

import java.util.List;

/** The four groups of PRODUCT.md; their ids are part of the user-facing contract. */
public final class AccessGroups {

  public static final String OPERATORS = "operators";
  public static final String CHANGE_MANAGERS = "change-managers";
  public static final String COMPLIANCE = "compliance";
  public static final String ADMINS = "admins";

  /** Camunda's own admin group; the Admin webapp offers anyone an "initial user" form while it has no member. */
  public static final String CAMUNDA_ADMIN = "camunda-admin";

  public static final List<String> ALL = List.of(OPERATORS, CHANGE_MANAGERS, COMPLIANCE, ADMINS);

  private AccessGroups() {
  }
}
