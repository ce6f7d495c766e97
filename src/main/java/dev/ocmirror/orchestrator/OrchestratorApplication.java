package dev.ocmirror.orchestrator;

import dev.ocmirror.orchestrator.simulator.OcMirrorSimulator;
import dev.ocmirror.orchestrator.transfer.VerifyMediaCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OrchestratorApplication {

  public static void main(String[] args) {
    // The disconnected side may have only this jar: verify-media must run without database or engine.
    if (args.length > 0 && args[0].equals(VerifyMediaCommand.NAME)) {
      System.exit(VerifyMediaCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals(OcMirrorSimulator.COMMAND)) {
      OcMirrorSimulator.main(Arrays.copyOfRange(args, 1, args.length));
    }
    SpringApplication.run(OrchestratorApplication.class, args);
  }
}
