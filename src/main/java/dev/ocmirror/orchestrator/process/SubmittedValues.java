package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.process.ProcessVariables.*;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * Validates on the server what a person submits: Tasklist checks forms only in the browser, and the REST API
 * not at all. Every problem is named at once and nothing is kept when one exists.
 */
@Component("submittedValues")
public class SubmittedValues implements TaskListener {

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
  private static final int MAX_COMMENT = 2000;
  private static final int MAX_CONFIG = 1 << 20;

  @Override
  public void notify(DelegateTask task) {
    List<String> problems = new ArrayList<>();
    switch (task.getTaskDefinitionKey()) {
      case "reviewTransfer" -> {
        Boolean approved = flag(task, APPROVED, "approve or reject", problems);
        comment(task, Boolean.FALSE.equals(approved), problems);
        if (Boolean.TRUE.equals(approved) && !Boolean.TRUE.equals(task.getVariable(PLAN_PROVABLE))) {
          problems.add("this transfer cannot be proven complete, so it cannot be approved; reject it and take a new baseline");
        }
      }
      case "approveRollback" -> {
        Boolean approved = flag(task, APPROVED, "approve or reject", problems);
        comment(task, Boolean.FALSE.equals(approved), problems);
      }
      case "signOffHandover" -> {
        label(task, MEDIA_ID, "media id", problems);
        label(task, SEAL_NUMBER, "seal number", problems);
        Object courier = task.getVariable(COURIER);
        if (!(courier instanceof String name) || name.isBlank() || name.length() > 128) {
          problems.add("courier: the name of whoever carries the media (1 to 128 characters)");
        }
      }
      case "confirmReceipt" -> {
        Boolean intact = flag(task, SEAL_INTACT, "say whether the seal is intact", problems);
        if (Boolean.TRUE.equals(intact)) {
          matches(task, RECEIVED_MEDIA_ID, MEDIA_ID, "media id", problems);
          matches(task, RECEIVED_SEAL_NUMBER, SEAL_NUMBER, "seal number", problems);
        }
      }
      case "correctConfiguration" -> {
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
      throw new ProcessEngineException("Not accepted: " + String.join("; ", problems));
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
      problems.add(REVIEW_COMMENT + ": say why it is rejected");
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

  private static void matches(DelegateTask task, String received, String handedOver, String what, List<String> problems) {
    Object actual = task.getVariable(received);
    Object expected = task.getVariable(handedOver);
    if (actual == null || !actual.toString().trim().equals(expected)) {
      problems.add(received + ": the " + what + " on the received media ('" + actual + "') does not match the one handed over"
          + " ('" + expected + "'); if the media are not the ones sent, report the seal as not intact");
    }
  }
}
