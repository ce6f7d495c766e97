package dev.ocmirror.orchestrator.remote;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A program and its arguments as a list, never a shell string: every element reaches the program as one
 * argument, whatever characters it holds.
 */
public record Command(List<String> argv, Map<String, String> environment, String workingDirectory) {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public Command {
    if (argv == null || argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
      throw new IllegalArgumentException("A command needs a program to run");
    }
    for (String arg : argv) {
      if (arg == null || arg.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("Command arguments must not be null or contain NUL: " + argv);
      }
    }
    argv = List.copyOf(argv);
    Map<String, String> env = new LinkedHashMap<>();
    if (environment != null) {
      environment.forEach((name, value) -> {
        if (!ENV_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("Not an environment variable name: '" + name + "'");
        }
        if (value == null || value.indexOf('\0') >= 0) {
          throw new IllegalArgumentException("Environment variable " + name + " has no value or contains NUL");
        }
        env.put(name, value);
      });
    }
    environment = Map.copyOf(env);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv), Map.of(), null);
  }

  public static Command of(List<String> argv) {
    return new Command(argv, Map.of(), null);
  }

  public Command withEnvironment(String name, String value) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(name, value);
    return new Command(argv, env, workingDirectory);
  }

  public Command inDirectory(String directory) {
    return new Command(argv, environment, directory);
  }

  /** The program's name, for messages. Values of the environment are never shown: they may hold secrets. */
  public String describe() {
    return String.join(" ", argv);
  }
}
