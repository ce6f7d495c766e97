package dev.ocmirror.orchestrator.ledger;

import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** What was applied to which cluster, when, by which lifecycle: what rollback goes back to. */
public final class ClusterApplies {

  private final JdbcTemplate jdbc;

  public ClusterApplies(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  public void record(ClusterApply apply) {
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
