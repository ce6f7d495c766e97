package dev.ocmirror.orchestrator.access;

import dev.ocmirror.orchestrator.audit.RefusedActs;
import dev.ocmirror.orchestrator.control.ControlRefused;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The engine settings the controls rely on (see docs/security.md): the {@link EngineGuard} around every command;
 * candidates of a task may work it (claim, complete) but not write its variables or hand it to someone else;
 * failed logins slow an account down but never lock it for good; object variables are deserialized only for
 * types on an allow list.
 */
@Component
public class EngineHardening extends AbstractCamundaConfiguration {

  private final RefusedActs refusedActs;
  private final int loginDelayMaxSeconds;

  public EngineHardening(RefusedActs refusedActs,
      @Value("${orchestrator.access.login-delay-max:PT5S}") java.time.Duration loginDelayMax) {
    this.refusedActs = refusedActs;
    this.loginDelayMaxSeconds = (int) Math.max(1, loginDelayMax.toSeconds());
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    EngineGuard guard = new EngineGuard(configuration, refusedActs);
    configuration.setCustomPreCommandInterceptorsTxRequired(withFirst(guard,
        configuration.getCustomPreCommandInterceptorsTxRequired()));
    configuration.setCustomPreCommandInterceptorsTxRequiresNew(withFirst(new EngineGuard(configuration, refusedActs),
        configuration.getCustomPreCommandInterceptorsTxRequiresNew()));
    // The guard logs failed commands once; the engine would log each refusal as an error with its stack trace.
    configuration.setEnableCmdExceptionLogging(false);

    // The default, UPDATE, would let a candidate write process variables through the task and reassign it.
    configuration.setDefaultUserPermissionNameForTask("TASK_WORK");

    // Camunda locks an account for good after loginMaxAttempts failures, which anyone can cause anonymously. The
    // growing delay stays (at most loginDelayMax); the per-client limit in LoginThrottle stops a single source.
    configuration.setLoginMaxAttempts(Integer.MAX_VALUE);
    configuration.setLoginDelayMaxTime(loginDelayMaxSeconds);

    // Object variables are deserialized only for the engine's short allow list (java.lang wrappers, basic java.util
    // collections): a variable naming any other class is refused when read, whoever wrote it.
    configuration.setDeserializationTypeValidationEnabled(true);
  }

  /**
   * The engine's retry, then, for a step a control refused, no further attempt: an incident with the reason (a step
   * refused for want of an approval or a receipt would only be refused again a minute later). The process package's
   * retry conventions install it, as the one failed-job factory of the engine.
   */
  public static Command<Object> refusedJobsFailAtOnce(String jobId, Throwable failure) {
    Command<Object> retry = new DefaultJobRetryCmd(jobId, failure);
    if (ExceptionUtils.indexOfType(failure, ControlRefused.class) < 0) {
      return retry;
    }
    return context -> {
      retry.execute(context);
      JobEntity job = context.getJobManager().findJobById(jobId);
      if (job != null && job.getRetries() > 0) {
        job.setRetries(0);
      }
      return null;
    };
  }

  private static List<CommandInterceptor> withFirst(CommandInterceptor first, List<CommandInterceptor> others) {
    List<CommandInterceptor> interceptors = new ArrayList<>();
    interceptors.add(first);
    if (others != null) {
      interceptors.addAll(others);
    }
    return interceptors;
  }
}
