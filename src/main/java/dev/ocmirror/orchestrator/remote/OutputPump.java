package dev.ocmirror.orchestrator.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads one output stream of a command line by line and hands each line to the listener. */
final class OutputPump {

  private final Thread thread;

  OutputPump(String name, InputStream input, OutputListener.Stream stream, OutputListener listener) {
    thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          listener.line(stream, line);
        }
      } catch (IOException closedUnderneath) {
        // The command was cancelled or the connection dropped; the result tells which.
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits for the last lines after the command ended. */
  void drain(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
