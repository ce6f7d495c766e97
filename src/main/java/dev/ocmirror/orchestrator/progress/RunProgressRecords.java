package dev.ocmirror.orchestrator.progress;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where workers leave what their runs are doing, so that any node can show it. A row per run (per attempt of a
 * step); a run's row is overwritten as it goes and kept when it ends, so the page shows how the last attempt ended.
 */
public final class RunProgressRecords {

  private static final String COLUMNS = "run_id, lifecycle_id, process_instance_id, step, host, enclave, started_at,"
      + " updated_at, state, images_total, images_done, image_errors, current_image, log_tail";

  private final JdbcTemplate jdbc;

  public RunProgressRecords(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  public void record(RunProgress progress) {
    String image = progress.currentImage() == null || progress.currentImage().length() <= 1024 ? progress.currentImage()
        : progress.currentImage().substring(0, 1024);
    int updated = jdbc.update("update run_progress set updated_at = ?, state = ?, images_total = ?, images_done = ?,"
        + " image_errors = ?, current_image = ?, log_tail = ? where run_id = ?", Timestamp.from(progress.updatedAt()),
        progress.state(), progress.imagesTotal(), progress.imagesDone(), progress.imageErrors(), image, progress.logTail(),
        progress.runId());
    if (updated == 0) {
      try {
        jdbc.update("insert into run_progress (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            progress.runId(), progress.lifecycleId(), progress.processInstanceId(), progress.step(), progress.host(),
            progress.enclave(), Timestamp.from(progress.startedAt()), Timestamp.from(progress.updatedAt()), progress.state(),
            progress.imagesTotal(), progress.imagesDone(), progress.imageErrors(), image, progress.logTail());
      } catch (DuplicateKeyException raced) {
        record(progress);
      }
    }
  }

  /** The runs of a lifecycle, oldest first. */
  public List<RunProgress> ofLifecycle(String lifecycleId) {
    return jdbc.query("select " + COLUMNS + " from run_progress where lifecycle_id = ? order by started_at, run_id",
        RunProgressRecords::row, lifecycleId);
  }

  /** Runs not finished when last seen, on any lifecycle, oldest first. */
  public List<RunProgress> unfinished() {
    return jdbc.query("select " + COLUMNS + " from run_progress where state in ('STARTING', 'RUNNING')"
        + " order by started_at, run_id", RunProgressRecords::row);
  }

  private static RunProgress row(ResultSet rs, int row) throws SQLException {
    return new RunProgress(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), rs.getString(9),
        (Integer) rs.getObject(10), rs.getInt(11), rs.getInt(12), rs.getString(13), rs.getString(14));
  }
}
