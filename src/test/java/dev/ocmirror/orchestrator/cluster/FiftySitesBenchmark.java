package dev.ocmirror.orchestrator.cluster;

import dev.ocmirror.orchestrator.OrchestratorApplication;
import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.support.TestPostgres;
import dev.ocmirror.orchestrator.support.TestRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricExternalTaskLog;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17, item 3: one monthly update delivered to N enclaves at once, each a local import host with its own cache
 * and two clusters, on PostgreSQL, with the deployed defaults of the worker and the job executor. People act as soon
 * as a task is open (the driver looks every 50 ms). Per delivery: total time, the time its tasks waited for people,
 * its oc-mirror runs' own time, and the rest: the service's overhead (engine, ledger, polling, waiting for a slot).
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * CP=target/test-classes:target/classes:$(cat target/test-classpath.txt)
 * java -cp "$CP" dev.ocmirror.orchestrator.cluster.FiftySitesBenchmark 1 10 50 2x50
 * </pre>
 * An argument {@code 2xN} runs N enclaves on two nodes (this JVM and a second one). Results: docs/benchmarks.md.
 */
public final class FiftySitesBenchmark {

  private FiftySitesBenchmark() {
  }

  record Result(int enclaves, int nodes, Duration wall, List<Duration> overhead, List<Duration> people, List<Duration> runs,
      Duration serviceCpu, int machineBusyPercent, long rows, long heapMiB) {
  }

  public static void main(String[] args) throws Exception {
    List<String> plan = args.length == 0 ? List.of("1", "10", "50", "2x50") : List.of(args);
    List<Result> results = new ArrayList<>();
    for (String run : plan) {
      int nodes = run.startsWith("2x") ? 2 : 1;
      results.add(deliver(Integer.parseInt(run.substring(nodes == 2 ? 2 : 0)), nodes));
      System.out.println(row(results.get(results.size() - 1)));
    }
    System.out.println("| enclaves | nodes | update, wall | overhead per delivery: median / p90 / max | waiting for people"
        + " (median) | oc-mirror runs (median) | service CPU per delivery | machine's CPU busy | database rows | heap after GC |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    results.forEach(result -> System.out.println(row(result)));
    System.exit(0);
  }

  private static Result deliver(int count, int nodes) throws Exception {
    Path dir = Files.createTempDirectory("fifty-sites");
    List<String> names = IntStream.rangeClosed(1, count).mapToObj(i -> String.format("site-%02d", i)).toList();
    String database = "orchestrator_fifty_sites";
    try (SharedSite site = SharedSite.start(database, dir, names)) {
      Map<String, String> deployed = new LinkedHashMap<>(site.properties());
      // As deployed: the worker's and the job executor's own defaults, not the tests' quick ones.
      deployed.putAll(Map.of("orchestrator.worker.poll-interval", "PT2S", "orchestrator.worker.lock-duration", "PT2M",
          "camunda.bpm.job-execution.wait-time-in-millis", "5000", "camunda.bpm.job-execution.max-wait", "60000",
          "camunda.bpm.job-execution.core-pool-size", "3", "camunda.bpm.job-execution.max-pool-size", "10",
          "camunda.bpm.job-execution.lock-time-in-millis", "300000", "server.port", "0"));
      Process nodeB = null;
      List<String> arguments = new ArrayList<>();
      deployed.forEach((key, value) -> arguments.add("--" + key + "=" + value));
      arguments.add("--orchestrator.worker.worker-id=node-a");
      try (ConfigurableApplicationContext service = new SpringApplicationBuilder(OrchestratorApplication.class)
          .profiles("test").run(arguments.toArray(String[]::new))) {
        if (nodes == 2) {
          nodeB = site.startNode("node-b", deployed);
          Process started = nodeB;
          new LifecycleDriver(service.getBean(ProcessEngine.class), "op", "op2", "cm").waitFor("node-b to start",
              () -> started.isAlive() && site.logOf("node-b").contains("Started OrchestratorApplication"));
        }
        ProcessEngine engine = service.getBean(ProcessEngine.class);
        LifecycleDriver people = new LifecycleDriver(engine, "op", "op2", "cm");
        String enclaves = String.join(",", names);
        ProcessInstance baseline = people.start("mirror-baseline", LifecycleDriver.config(site.mirror().alpha()), enclaves);
        playUntilEnded(engine, people, baseline);

        site.mirror().source().pushImage("demo/month-2", "v1", TestRegistry.randomLayer(16 * 1024));
        String added = site.mirror().source().hostPort() + "/demo/month-2:v1";
        Instant start = Instant.now();
        long[] machineBefore = machineCpu();
        Duration cpuBefore = cpu(ProcessHandle.current()).plus(nodeB == null ? Duration.ZERO : cpu(nodeB.toHandle()));
        ProcessInstance update = people.start("mirror-update", LifecycleDriver.config(site.mirror().alpha(), added), enclaves);
        playUntilEnded(engine, people, update);
        Duration wall = Duration.between(start, Instant.now());
        Duration serviceCpu = cpu(ProcessHandle.current()).plus(nodeB == null ? Duration.ZERO : cpu(nodeB.toHandle()))
            .minus(cpuBefore).dividedBy(count);
        long[] machineAfter = machineCpu();
        int busy = (int) (100 * (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]));
        Result result = measure(engine.getHistoryService(), update, count, nodes, wall, serviceCpu, busy, site, database);
        if (nodeB != null) {
          nodeB.destroy();
          nodeB.waitFor();
        }
        return result;
      } finally {
        if (nodeB != null) {
          nodeB.destroyForcibly();
        }
      }
    }
  }

  private static void playUntilEnded(ProcessEngine engine, LifecycleDriver people, ProcessInstance lifecycle) {
    HistoryService history = engine.getHistoryService();
    org.awaitility.Awaitility.await("the end of " + lifecycle.getId()).atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofMillis(50)).until(() -> {
          if (engine.getRuntimeService().createIncidentQuery().count() > 0) {
            throw new AssertionError("Incident: " + engine.getRuntimeService().createIncidentQuery().list().get(0)
                .getIncidentMessage());
          }
          people.actOnOpenTasks();
          return history.createHistoricProcessInstanceQuery().processInstanceId(lifecycle.getId()).finished().count() == 1;
        });
    if (history.createHistoricActivityInstanceQuery().processInstanceId(lifecycle.getId()).activityId("delivered").count() != 1) {
      throw new AssertionError("The lifecycle ended without delivering to every enclave");
    }
  }

  /** The CPU time a service's JVM has used so far (this JVM also drives the people, a small part of it). */
  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("No CPU time for " + process.pid()));
  }

  /** The machine's busy and total CPU ticks so far, from /proc/stat: how much of the machine the run used. */
  private static long[] machineCpu() throws java.io.IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    long total = 0;
    for (int i = 1; i < fields.length && i <= 8; i++) {
      long ticks = Long.parseLong(fields[i]);
      total += ticks;
      busy += i == 4 || i == 5 ? 0 : ticks;
    }
    return new long[] {busy, total};
  }

  private static Result measure(HistoryService history, ProcessInstance update, int count, int nodes, Duration wall,
      Duration serviceCpu, int machineBusyPercent, SharedSite site, String database) throws Exception {
    List<Duration> overhead = new ArrayList<>();
    List<Duration> people = new ArrayList<>();
    List<Duration> runs = new ArrayList<>();
    for (HistoricProcessInstance delivery : history.createHistoricProcessInstanceQuery().superProcessInstanceId(update.getId())
        .processDefinitionKey("enclave-delivery").list()) {
      Duration total = Duration.ofMillis(delivery.getDurationInMillis());
      Duration waited = Duration.ZERO;
      for (HistoricTaskInstance task : history.createHistoricTaskInstanceQuery().processInstanceId(delivery.getId()).list()) {
        waited = waited.plusMillis(task.getDurationInMillis());
      }
      Duration ran = Duration.ZERO;
      for (HistoricExternalTaskLog created : history.createHistoricExternalTaskLogQuery().processInstanceId(delivery.getId())
          .creationLog().list()) {
        ran = ran.plus(runTime(site.dir(), created.getExternalTaskId()));
      }
      people.add(waited);
      runs.add(ran);
      overhead.add(total.minus(waited).minus(ran));
    }
    if (overhead.size() != count) {
      throw new AssertionError(overhead.size() + " deliveries for " + count + " enclaves");
    }
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    return new Result(count, nodes, wall, sorted(overhead), sorted(people), sorted(runs), serviceCpu, machineBusyPercent,
        rows(database), heap);
  }

  /** An oc-mirror run's own time: from its command written to its exit status written, in its run directory. */
  private static Duration runTime(Path site, String externalTaskId) throws Exception {
    Duration total = Duration.ZERO;
    try (var enclaves = Files.list(site)) {
      for (Path enclave : enclaves.filter(path -> Files.isDirectory(path.resolve("runs"))).toList()) {
        try (var attempts = Files.list(enclave.resolve("runs"))) {
          for (Path run : attempts.filter(Files::isDirectory)
              .filter(path -> path.getFileName().toString().startsWith("task-" + externalTaskId + "-")).toList()) {
            total = total.plus(Duration.between(Files.getLastModifiedTime(run.resolve("command")).toInstant(),
                Files.getLastModifiedTime(run.resolve("exit-status")).toInstant()));
          }
        }
      }
    }
    return total;
  }

  private static long rows(String database) throws Exception {
    long rows = 0;
    try (Connection connection = TestPostgres.connect(database); Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet names = statement.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
        while (names.next()) {
          tables.add(names.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet count = statement.executeQuery("select count(*) from \"" + table + "\"")) {
          count.next();
          rows += count.getLong(1);
        }
      }
    }
    return rows;
  }

  private static List<Duration> sorted(List<Duration> durations) {
    return durations.stream().sorted().toList();
  }

  private static Duration percentile(List<Duration> sorted, int percent) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percent / 100.0) - 1));
  }

  private static String seconds(Duration duration) {
    return String.format("%.2f s", duration.toMillis() / 1000.0);
  }

  private static String row(Result result) {
    return "| " + result.enclaves() + " | " + result.nodes() + " | " + seconds(result.wall()) + " | "
        + seconds(percentile(result.overhead(), 50)) + " / " + seconds(percentile(result.overhead(), 90)) + " / "
        + seconds(percentile(result.overhead(), 100)) + " | " + seconds(percentile(result.people(), 50)) + " | "
        + seconds(percentile(result.runs(), 50)) + " | " + seconds(result.serviceCpu()) + " | " + result.machineBusyPercent()
        + " % | " + result.rows() + " | "
        + result.heapMiB() + " MiB |";
  }
}
