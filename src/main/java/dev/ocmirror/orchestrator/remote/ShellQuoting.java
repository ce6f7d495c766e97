package dev.ocmirror.orchestrator.remote;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SSH carries a command as one string that the remote login shell splits again. Each argument is therefore
 * put in single quotes (a quote inside becomes '"'"'), which POSIX shells take literally, so no argument
 * can ever become shell syntax.
 */
public final class ShellQuoting {

  private ShellQuoting() {
  }

  public static String quote(String argument) {
    return "'" + argument.replace("'", "'\"'\"'") + "'";
  }

  public static String join(List<String> argv) {
    return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }

  /** First stderr line of every SSH command: the pid the program will have, so it can be stopped later. */
  static final String PID_MARKER = "ocmirror-orchestrator-pid:";

  /**
   * {@code echo PID >&2; cd DIR && exec env NAME=VALUE... ARGV...}, every piece quoted. The shell's own pid is
   * reported first because {@code exec} hands it to the program: SSH signal requests are not honoured by every
   * server, so stopping a command means running kill on that pid.
   */
  public static String commandLine(Command command) {
    StringBuilder line = new StringBuilder("echo " + PID_MARKER + "$$ >&2; ");
    if (command.workingDirectory() != null) {
      line.append("cd ").append(quote(command.workingDirectory())).append(" && ");
    }
    line.append("exec ");
    if (!command.environment().isEmpty()) {
      line.append("env ");
      for (Map.Entry<String, String> variable : command.environment().entrySet()) {
        line.append(quote(variable.getKey() + "=" + variable.getValue())).append(' ');
      }
    }
    return line.append(join(command.argv())).toString();
  }
}
