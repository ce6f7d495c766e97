package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.airgap.WriteSiteReport;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import java.security.Principal;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * On a receiving station, a site report on demand (operators and administrators): what the site holds now, e.g. after
 * a cache was restored or when the connected side asks, written to the return directory like every report and
 * answered as the text to carry.
 */
@RestController
class StationReportController {

  private static final Logger LOG = LoggerFactory.getLogger(StationReportController.class);

  private final WriteSiteReport reports;
  private final LifecycleProperties properties;

  StationReportController(WriteSiteReport reports, LifecycleProperties properties) {
    this.reports = reports;
    this.properties = properties;
  }

  @PostMapping(path = "/api/station/site-reports")
  ResponseEntity<?> write(Principal person) {
    if (!properties.receivingStation()) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message",
          "This is the connected side; site reports are written by a receiving station."));
    }
    WriteSiteReport.Written written;
    try {
      written = reports.write(null, null, null);
    } catch (org.springframework.dao.DuplicateKeyException atTheSameMoment) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message",
          "Another site report was written at the same moment; ask again."));
    }
    LOG.info("Site report {} written on demand by {} to {}", written.number(), person.getName(), written.file());
    return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.TEXT_PLAIN).body(written.text());
  }
}
