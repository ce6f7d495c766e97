package dev.ocmirror.orchestrator.bpmn;

import java.util.List;
import java.util.Set;

/**
 * Every name that Java and the models in {@code bpmn/} and {@code forms/} share: process keys, the ids of the
 * elements Java refers to, external task topics, BPMN error codes and process variables. A name changes here and
 * in the model together; {@code ProcessContractTest} parses the models and fails when one side lacks the other.
 * The models use no messages or signals.
 */
public final class ProcessContract {

  private ProcessContract() {
  }

  /** Process definition keys. */
  public static final class Processes {
    public static final String BASELINE = "mirror-baseline";
    public static final String UPDATE = "mirror-update";
    public static final String ROLLBACK = "mirror-rollback";
    public static final String GENERATION = "mirror-generation";
    public static final String DELIVERY = "enclave-delivery";
    public static final String UPDATE_SCHEDULE = "mirror-update-schedule";
    /** On a receiving station: media taken in, checked, imported and reported on. */
    public static final String MEDIA_RECEIPT = "media-receipt";

    /** What a person starts: a lifecycle, the root of its generation and deliveries. */
    public static final List<String> LIFECYCLES = List.of(BASELINE, UPDATE, ROLLBACK, MEDIA_RECEIPT);
    /** What a receiving station runs; the connected side runs the others. */
    public static final List<String> STATION = List.of(MEDIA_RECEIPT, ROLLBACK);
    /** The lifecycles that build a generation; one of them runs at a time. */
    public static final List<String> BUILDING = List.of(BASELINE, UPDATE);
    /** Every model of bpmn/. */
    public static final List<String> ALL = List.of(BASELINE, UPDATE, ROLLBACK, GENERATION, DELIVERY, UPDATE_SCHEDULE,
        MEDIA_RECEIPT);

    private Processes() {
    }
  }

  /** User task ids, the task definition keys Tasklist and the history show. */
  public static final class UserTasks {
    public static final String REVIEW_TRANSFER = "reviewTransfer";
    public static final String APPROVE_ROLLBACK = "approveRollback";
    public static final String SIGN_OFF_HANDOVER = "signOffHandover";
    public static final String CONFIRM_RECEIPT = "confirmReceipt";
    public static final String CORRECT_CONFIGURATION = "correctConfiguration";
    public static final String DECIDE_MIRROR_FAILURE = "decideMirrorFailure";
    public static final String DECIDE_MEDIA_PROBLEM = "decideMediaProblem";
    public static final String DECIDE_IMPORT_FAILURE = "decideImportFailure";
    public static final String DECIDE_REIMPORT_FAILURE = "decideReimportFailure";
    /** For an enclave reached only by media: the station's report carried back, typed or read from the return media. */
    public static final String RECORD_SITE_REPORT = "recordSiteReport";
    /** On a receiving station: a change manager approves importing media that passed every check. */
    public static final String REVIEW_IMPORT = "reviewImport";
    /** On a receiving station: an import or its registry check failed; try again or give the media up. */
    public static final String DECIDE_STATION_IMPORT_FAILURE = "decideStationImportFailure";

    /** The decisions only a change manager other than the requester takes. */
    public static final Set<String> APPROVALS = Set.of(REVIEW_TRANSFER, APPROVE_ROLLBACK, REVIEW_IMPORT);
    /** The two signatures of the media's custody. */
    public static final Set<String> CUSTODY = Set.of(SIGN_OFF_HANDOVER, CONFIRM_RECEIPT);

    private UserTasks() {
    }
  }

  /** External task topics, each worked by one oc-mirror step of the worker. */
  public static final class Topics {
    public static final String DRY_RUN = "oc-mirror-dry-run";
    public static final String MIRROR_TO_DISK = "oc-mirror-to-disk";
    public static final String IMPORT = "oc-mirror-import";

    public static final List<String> ALL = List.of(DRY_RUN, MIRROR_TO_DISK, IMPORT);

    private Topics() {
    }
  }

  /**
   * BPMN error codes. Those a step raises for a person to decide on are the names of
   * {@code lifecycle.DecisionNeeded.Reason}; this one a model throws itself.
   */
  public static final class Errors {
    /** Thrown by the generation's abandon end events, caught by the lifecycle around it. */
    public static final String LIFECYCLE_ABANDONED = "LIFECYCLE_ABANDONED";

    private Errors() {
    }
  }

  /** End event ids whose meaning Java reads (the outcome of a lifecycle or a delivery). */
  public static final class EndEvents {
    public static final String DELIVERED = "delivered";
    public static final String NOT_DELIVERED_EVERYWHERE = "notDeliveredEverywhere";
    public static final String LIFECYCLE_ABANDONED = "lifecycleAbandoned";
    public static final String ENCLAVE_UPDATED = "enclaveUpdated";
    public static final String TRANSFER_REJECTED = "transferRejected";
    public static final String ABANDONED_AT_RECEIPT = "abandonedAtReceipt";
    public static final String ABANDONED_AT_IMPORT = "abandonedAtImport";
    public static final String ABANDONED_AT_CONFIGURATION = "abandonedAtConfiguration";
    public static final String ABANDONED_AT_MIRROR = "abandonedAtMirror";
    public static final String ROLLED_BACK = "rolledBack";
    public static final String ROLLBACK_REJECTED = "rollbackRejected";
    public static final String ROLLBACK_ABANDONED = "rollbackAbandoned";
    public static final String NO_ROLLBACK = "noRollback";
    public static final String REFUSED_AT_STATION = "refusedAtStation";
    public static final String MEDIA_IMPORTED = "mediaImported";
    public static final String MEDIA_REFUSED = "mediaRefused";
    public static final String IMPORT_REJECTED = "importRejected";

    private EndEvents() {
    }
  }

  /** Process variable names: those of the product contract (PRODUCT.md) first, then the lifecycle's own. */
  public static final class Variables {
    // The user-facing contract: automation and forms rely on these names.
    public static final String ENCLAVE = "enclave";
    public static final String IMAGESET_CONFIG = "imagesetConfig";
    public static final String REQUESTED_BY = "requestedBy";
    /** The lifecycle's root process instance, so that every form can link to the lifecycle's page. */
    public static final String LIFECYCLE_ID = "lifecycleId";
    public static final String APPROVED = "approved";
    public static final String REVIEW_COMMENT = "reviewComment";
    public static final String MEDIA_ID = "mediaId";
    public static final String SEAL_NUMBER = "sealNumber";
    public static final String COURIER = "courier";
    public static final String SEAL_INTACT = "sealIntact";
    public static final String GENERATION = "generation";
    public static final String LINEAGE = "lineage";

    // Start and decisions.
    public static final String BASELINE = "baseline";
    public static final String ENCLAVES = "enclaves";
    public static final String APPROVER = "approver";
    public static final String RECEIVED_MEDIA_ID = "receivedMediaId";
    public static final String RECEIVED_SEAL_NUMBER = "receivedSealNumber";
    public static final String DECISION = "decision";
    public static final String OC_MIRROR_SIMULATED = "ocMirrorSimulated";

    // Building a generation.
    public static final String CONFIG_DIGEST = "configDigest";
    public static final String CONFIG_DIFF = "configDiff";
    public static final String OC_MIRROR_VERSION = "ocMirrorVersion";
    public static final String OC_MIRROR_PROGRESS = "ocMirrorProgress";
    public static final String IMAGES_PLANNED = "imagesPlanned";
    public static final String IMAGES_MISSING_FROM_CACHE = "imagesMissingFromCache";
    public static final String ARCHIVES_WRITTEN = "archivesWritten";
    public static final String ARCHIVE_COUNT = "archiveCount";
    public static final String ARCHIVE_BYTES = "archiveBytes";
    public static final String IMAGE_COUNT = "imageCount";
    public static final String NEW_BLOB_COUNT = "newBlobCount";

    // Delivering it to an enclave.
    public static final String TRANSFER_ID = "transferId";
    public static final String PLAN_PROVABLE = "planProvable";
    public static final String CARRY_GENERATIONS = "carryGenerations";
    public static final String TRANSFER_BYTES = "transferBytes";
    public static final String TRANSFER_SUMMARY = "transferSummary";
    public static final String MEDIA_DIRECTORY = "mediaDirectory";
    public static final String MANIFEST_SHA256 = "manifestSha256";
    public static final String STAGED_FILES = "stagedFiles";
    /** False when the media filled up or were too small: the model leads to an operator's decision on the media. */
    public static final String MEDIA_STAGED = "mediaStaged";
    public static final String VERIFIED_FILES = "verifiedFiles";
    public static final String VERIFIED_BYTES = "verifiedBytes";
    /** The element variable of the sequential import, one generation of the transfer at a time. */
    public static final String IMPORT_GENERATION = "importGeneration";
    public static final String LAST_IMPORTED_GENERATION = "lastImportedGeneration";
    public static final String IMAGES_VERIFIED = "imagesVerified";
    public static final String CLUSTERS_APPLIED = "clustersApplied";
    /** The site report's text as an operator recorded it. */
    public static final String SITE_REPORT = "siteReport";
    /** What the station says became of the transfer: IMPORTED, REFUSED or FAILED. */
    public static final String STATION_OUTCOME = "stationOutcome";
    /** On a receiving station: where the media to take in are mounted. */
    public static final String MEDIA_PATH = "mediaPath";
    /** On a receiving station: whether its change managers approve each import. */
    public static final String IMPORT_APPROVAL_REQUIRED = "importApprovalRequired";
    public static final String SITE_REPORT_NUMBER = "siteReportNumber";

    // Rolling back.
    public static final String FROM_GENERATION = "fromGeneration";
    public static final String ROLLBACK_SUMMARY = "rollbackSummary";
    public static final String REIMPORT_NEEDED = "reimportNeeded";
    public static final String MISSING_IMAGES = "missingImages";

    // A decision a person must take about a failure.
    public static final String FAILURE_REASON = "failureReason";
    public static final String FAILURE_SUMMARY = "failureSummary";
    public static final String FAILURE_DETAILS = "failureDetails";

    private Variables() {
    }
  }
}
