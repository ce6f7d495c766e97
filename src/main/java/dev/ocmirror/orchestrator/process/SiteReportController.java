package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.airgap.SiteReportRefused;
import dev.ocmirror.orchestrator.airgap.SiteReports;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Records a site report carried back from a media enclave (operators and administrators): the text block as the
 * station wrote it, from the return media or typed in from paper. The enclave's plans rest on it from then on.
 */
@RestController
@RequestMapping("/api/enclaves")
class SiteReportController {

  private static final Logger LOG = LoggerFactory.getLogger(SiteReportController.class);
  private static final int MAX_REPORT = 64 * 1024;

  private final SiteReports reports;

  SiteReportController(SiteReports reports) {
    this.reports = reports;
  }

  @PostMapping(path = "/{name}/site-reports", consumes = MediaType.TEXT_PLAIN_VALUE)
  ResponseEntity<Map<String, Object>> record(@PathVariable String name, @RequestBody String text, Principal person) {
    if (text.length() > MAX_REPORT) {
      throw new SiteReportRefused("A site report is a few lines; this text is too long to be one.");
    }
    SiteReportRecords.RecordedReport recorded = reports.record(name, text, person.getName());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("enclave", recorded.enclave());
    body.put("reportNumber", recorded.number());
    body.put("lineage", recorded.lineageId());
    body.put("generations", recorded.generations());
    body.put("proven", recorded.proven());
    body.put("cacheComplete", recorded.cacheComplete());
    body.put("transferId", recorded.transferId());
    body.put("transferOutcome", recorded.transferOutcome());
    return ResponseEntity.status(HttpStatus.CREATED).body(body);
  }

  @ExceptionHandler(SiteReportRefused.class)
  ResponseEntity<Map<String, String>> refused(SiteReportRefused refused) {
    LOG.info("Site report refused: {}", refused.getMessage());
    return ResponseEntity.badRequest().body(Map.of("message", refused.getMessage()));
  }
}
