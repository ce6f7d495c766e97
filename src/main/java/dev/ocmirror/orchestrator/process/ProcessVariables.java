package dev.ocmirror.orchestrator.process;

/** Names of process variables: those of the product contract first, then the lifecycle's own. */
public final class ProcessVariables {

  // The user-facing contract (PRODUCT.md): automation and forms rely on these names.
  public static final String ENCLAVE = "enclave";
  public static final String IMAGESET_CONFIG = "imagesetConfig";
  public static final String REQUESTED_BY = "requestedBy";
  public static final String APPROVED = "approved";
  public static final String REVIEW_COMMENT = "reviewComment";
  public static final String MEDIA_ID = "mediaId";
  public static final String SEAL_NUMBER = "sealNumber";
  public static final String COURIER = "courier";
  public static final String SEAL_INTACT = "sealIntact";
  public static final String GENERATION = "generation";
  public static final String LINEAGE = "lineage";

  public static final String BASELINE = "baseline";
  public static final String ENCLAVES = "enclaves";
  public static final String APPROVER = "approver";
  public static final String CONFIG_DIGEST = "configDigest";
  public static final String CONFIG_DIFF = "configDiff";
  public static final String TRANSFER_ID = "transferId";
  public static final String PLAN_PROVABLE = "planProvable";
  public static final String CARRY_GENERATIONS = "carryGenerations";
  public static final String TRANSFER_SUMMARY = "transferSummary";
  public static final String RECEIVED_MEDIA_ID = "receivedMediaId";
  public static final String RECEIVED_SEAL_NUMBER = "receivedSealNumber";
  public static final String DECISION = "decision";
  public static final String FAILURE_REASON = "failureReason";
  public static final String FAILURE_SUMMARY = "failureSummary";
  public static final String FAILURE_DETAILS = "failureDetails";

  private ProcessVariables() {
  }
}
