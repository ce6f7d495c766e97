package dev.ocmirror.orchestrator.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a person tried and the service refused (a wrong seal at receipt, an approval of one's own request, a
 * field a task does not own). The refused command is rolled back, so its trace is written here, in a
 * transaction of its own, and the audit merges it into the lifecycle's timeline. The reason is the sentence
 * the person was shown: it never holds the value they were expected to know.
 */
public class RefusedActs {

  public record RefusedAct(Instant at, String userId, String processInstanceId, String taskId, String activity, String kind,
      String reason) {
  }

  private static final int MAX_REASON = 2000;

  private final JdbcTemplate jdbc;
  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate ownTransaction;

  public RefusedActs(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.named = new NamedParameterJdbcTemplate(jdbc);
    this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  public void record(RefusedAct act) {
    String reason = act.reason() == null ? "" : act.reason();
    ownTransaction.executeWithoutResult(status -> jdbc.update("insert into refused_act (at, user_id, process_instance_id,"
        + " task_id, activity, kind, reason) values (?, ?, ?, ?, ?, ?, ?)", Timestamp.from(act.at()), act.userId(),
        act.processInstanceId(), act.taskId(), act.activity(), act.kind(),
        reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason));
  }

  /** The refusals recorded against any of these process instances, oldest first. */
  public List<RefusedAct> of(Collection<String> processInstanceIds) {
    if (processInstanceIds.isEmpty()) {
      return List.of();
    }
    return new ArrayList<>(named.query("select at, user_id, process_instance_id, task_id, activity, kind, reason from refused_act"
        + " where process_instance_id in (:ids) order by at, id", Map.of("ids", processInstanceIds),
        (rs, row) -> new RefusedAct(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7))));
  }
}
