package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import java.util.List;
import java.util.regex.Pattern;
import dev.ocmirror.orchestrator.access.Refusal;
import dev.ocmirror.orchestrator.control.ControlRecords;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * Validates on the server what a person submits: Tasklist checks forms only in the browser, and the REST API
 * not at all. A completion may set only the task's own fields: what the task showed when it was created (the
 * plan under review, the media handed over) is kept aside then and compared at completion. Every problem is
 * named at once and nothing is kept when one exists.
 */
@Component(SubmittedValues.BEAN)
public class SubmittedValues implements TaskListener {

  static final String BEAN = "submittedValues";

  private static final Map<String, Set<String>> OWN_FIELDS = Map.of(
      UserTasks.REVIEW_TRANSFER, Set.of(APPROVED, REVIEW_COMMENT),
      UserTasks.APPROVE_ROLLBACK, Set.of(APPROVED, REVIEW_COMMENT),
      UserTasks.REVIEW_IMPORT, Set.of(APPROVED, REVIEW_COMMENT),
      UserTasks.SIGN_OFF_HANDOVER, Set.of(MEDIA_ID, SEAL_NUMBER, COURIER),
      UserTasks.CONFIRM_RECEIPT, Set.of(SEAL_INTACT, RECEIVED_MEDIA_ID, RECEIVED_SEAL_NUMBER),
      UserTasks.CORRECT_CONFIGURATION, Set.of(DECISION, IMAGESET_CONFIG),
      UserTasks.RECORD_SITE_REPORT, Set.of(SITE_REPORT));
  private static final Set<String> DECISION_FIELDS = Set.of(DECISION);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;
  private final ControlRecords custody;

  public SubmittedValues(DataSource dataSource, ControlRecords custody) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.custody = custody;
  }

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
  private static final int MAX_COMMENT = 2000;
  private static final int MAX_CONFIG = 1 << 20;
  private static final int MAX_SITE_REPORT = 64 * 1024;

  @Override
  public void notify(DelegateTask task) {
    if (EVENTNAME_DELETE.equals(task.getEventName())) {
      // The process was cancelled or moved past the task: its snapshot is no longer needed.
      jdbc.update("delete from task_variable_snapshot where task_id = ?", task.getId());
      return;
    }
    if (EVENTNAME_CREATE.equals(task.getEventName())) {
      jdbc.update("insert into task_variable_snapshot (task_id, variables) values (?, ?)", task.getId(),
          write(fingerprints(task)));
      return;
    }
    List<String> problems = new ArrayList<>();
    onlyOwnFields(task, problems);
    switch (task.getTaskDefinitionKey()) {
      case UserTasks.REVIEW_TRANSFER -> {
        Boolean approved = flag(task, APPROVED, "approve or reject", problems);
        comment(task, Boolean.FALSE.equals(approved), problems);
        if (Boolean.TRUE.equals(approved) && !Boolean.TRUE.equals(task.getVariable(PLAN_PROVABLE))) {
          problems.add("this transfer cannot be proven complete, so it cannot be approved; reject it and take a new baseline");
        }
      }
      case UserTasks.APPROVE_ROLLBACK, UserTasks.REVIEW_IMPORT -> {
        Boolean approved = flag(task, APPROVED, "approve or reject", problems);
        comment(task, Boolean.FALSE.equals(approved), problems);
      }
      case UserTasks.SIGN_OFF_HANDOVER -> {
        label(task, MEDIA_ID, "media id", problems);
        label(task, SEAL_NUMBER, "seal number", problems);
        Object courier = task.getVariable(COURIER);
        if (!(courier instanceof String name) || name.isBlank() || name.length() > 128) {
          problems.add("courier: the name of whoever carries the media (1 to 128 characters)");
        }
      }
      case UserTasks.CONFIRM_RECEIPT -> {
        // Tasklist's yes/no choice arrives as text; there is no default, so saying nothing is refused.
        if ("true".equals(task.getVariable(SEAL_INTACT)) || "false".equals(task.getVariable(SEAL_INTACT))) {
          task.setVariable(SEAL_INTACT, Boolean.valueOf((String) task.getVariable(SEAL_INTACT)));
        }
        Boolean intact = flag(task, SEAL_INTACT, "say whether the seal is intact", problems);
        if (Boolean.TRUE.equals(intact)) {
          Optional<ControlRecords.Handover> handover = custody.latestHandover(String.valueOf(task.getVariable(TRANSFER_ID)));
          matches(task, RECEIVED_MEDIA_ID, handover.map(ControlRecords.Handover::mediaId), "media id", problems);
          matches(task, RECEIVED_SEAL_NUMBER, handover.map(ControlRecords.Handover::sealNumber), "seal number", problems);
        }
      }
      case UserTasks.RECORD_SITE_REPORT -> {
        Object report = task.getVariable(SITE_REPORT);
        if (!(report instanceof String text) || text.isBlank() || text.length() > MAX_SITE_REPORT) {
          problems.add(SITE_REPORT + ": the site report's text, as the station wrote it (up to " + MAX_SITE_REPORT
              + " characters)");
        }
      }
      case UserTasks.CORRECT_CONFIGURATION -> {
        decision(task, problems);
        Object config = task.getVariable(IMAGESET_CONFIG);
        if (!(config instanceof String text) || text.isBlank() || text.length() > MAX_CONFIG) {
          problems.add(IMAGESET_CONFIG + ": the corrected ImageSetConfiguration as YAML text (up to " + MAX_CONFIG
              + " characters)");
        }
      }
      default -> decision(task, problems);
    }
    if (!problems.isEmpty()) {
      throw new Refusal(Refusal.Kind.NOT_ACCEPTED, "Not accepted: " + String.join("; ", problems) + ".",
          task.getProcessInstanceId(), task.getId(), task.getTaskDefinitionKey());
    }
    jdbc.update("delete from task_variable_snapshot where task_id = ?", task.getId());
  }

  private void onlyOwnFields(DelegateTask task, List<String> problems) {
    List<String> stored = jdbc.queryForList("select variables from task_variable_snapshot where task_id = ?", String.class,
        task.getId());
    if (stored.isEmpty()) {
      return;
    }
    Map<String, String> before = read(stored.get(0));
    Map<String, String> now = fingerprints(task);
    Set<String> own = OWN_FIELDS.getOrDefault(task.getTaskDefinitionKey(), DECISION_FIELDS);
    Set<String> names = new TreeSet<>(before.keySet());
    names.addAll(now.keySet());
    for (String name : names) {
      if (!own.contains(name) && !Objects.equals(before.get(name), now.get(name))) {
        problems.add(name + " is not a field of this task and may not be changed by completing it");
      }
    }
  }

  /** Each visible variable's type and a digest of its value: enough to see a change, nothing to leak. */
  private static Map<String, String> fingerprints(DelegateTask task) {
    Map<String, String> fingerprints = new TreeMap<>();
    task.getVariables().forEach((name, value) -> fingerprints.put(name, value == null ? "null"
        : value.getClass().getName() + ":" + Sha256.hex(String.valueOf(value).getBytes(StandardCharsets.UTF_8))));
    return fingerprints;
  }

  private static String write(Map<String, String> fingerprints) {
    try {
      return JSON.writeValueAsString(fingerprints);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> read(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Unreadable task snapshot: " + e.getMessage(), e);
    }
  }

  private static void decision(DelegateTask task, List<String> problems) {
    Object decision = task.getVariable(DECISION);
    if (!"retry".equals(decision) && !"abandon".equals(decision)) {
      problems.add("decision: 'retry' or 'abandon', not '" + decision + "'");
    }
  }

  private static Boolean flag(DelegateTask task, String name, String what, List<String> problems) {
    Object value = task.getVariable(name);
    if (value instanceof Boolean flag) {
      return flag;
    }
    problems.add(name + ": " + what + " (true or false, not " + (value == null ? "nothing" : "'" + value + "'") + ")");
    return null;
  }

  private static void comment(DelegateTask task, boolean required, List<String> problems) {
    Object comment = task.getVariable(REVIEW_COMMENT);
    if (comment != null && !(comment instanceof String)) {
      problems.add(REVIEW_COMMENT + " must be text");
    } else if (required && (comment == null || ((String) comment).isBlank())) {
      problems.add("a rejection needs a comment that says why (" + REVIEW_COMMENT + ")");
    } else if (comment != null && ((String) comment).length() > MAX_COMMENT) {
      problems.add(REVIEW_COMMENT + ": at most " + MAX_COMMENT + " characters");
    }
  }

  private static void label(DelegateTask task, String name, String what, List<String> problems) {
    Object value = task.getVariable(name);
    if (!(value instanceof String text) || !LABEL.matcher(text).matches()) {
      problems.add(name + ": the " + what + " as written on the media (letters, digits, . _ / -, up to 64), not "
          + (value == null ? "nothing" : "'" + value + "'"));
    }
  }

  /** Names the field that does not match, never the value handed over: the receiver must read it off the media. */
  private static void matches(DelegateTask task, String received, Optional<String> handedOver, String what,
      List<String> problems) {
    Object actual = task.getVariable(received);
    if (actual == null || handedOver.isEmpty() || !actual.toString().trim().equals(handedOver.get())) {
      problems.add(received + ": the " + what + " read from the received media does not match the handover; read it again,"
          + " and if these are not the media that were sent, report the seal as not intact");
    }
  }
}
