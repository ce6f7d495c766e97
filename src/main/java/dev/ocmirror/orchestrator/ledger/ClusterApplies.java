package dev.ocmirror.orchestrator.ledger;

import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** What was applied to which cluster, when, by which lifecycle: what rollback goes back to. */
public final class ClusterApplies {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate ownTransaction;

  public ClusterApplies(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /**
   * Committed at once, whatever becomes of the step's own transaction: a cluster changed by {@code oc apply} stays
   * changed if the node dies before the step ends, and the step's next attempt must know not to apply it again.
   */
  public void record(ClusterApply apply) {
    ownTransaction.executeWithoutResult(status -> insert(apply));
  }

  /** The clusters of an enclave one lifecycle has already applied a generation to (a rollback's applies apart). */
  public Set<String> appliedBy(String processInstanceId, String enclave, int generation, boolean rollback) {
    return new TreeSet<>(jdbc.queryForList("select cluster from ledger_cluster_apply where process_instance_id = ? and enclave = ?"
        + " and generation_number = ? and rollback = ?", String.class, processInstanceId, enclave, generation, rollback));
  }

  private void insert(ClusterApply apply) {
    jdbc.update("insert into ledger_cluster_apply (enclave, cluster, lineage_id, generation_number, resources, applied_at,"
        + " process_instance_id, rollback) values (?, ?, ?, ?, ?, ?, ?, ?)", apply.enclave(), apply.cluster(), apply.lineageId(),
        apply.generation(), String.join(",", apply.resources()), Timestamp.from(apply.appliedAt()), apply.processInstanceId(),
        apply.rollback());
  }

  /** Every apply to the clusters of an enclave, oldest first. */
  public List<ClusterApply> history(String enclave) {
    return jdbc.query("select enclave, cluster, lineage_id, generation_number, resources, applied_at, process_instance_id,"
        + " rollback from ledger_cluster_apply where enclave = ? order by applied_at, id",
        (rs, row) -> new ClusterApply(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            rs.getString(5).isEmpty() ? List.of() : List.of(rs.getString(5).split(",")), rs.getTimestamp(6).toInstant(),
            rs.getString(7), rs.getBoolean(8)), enclave);
  }
}
