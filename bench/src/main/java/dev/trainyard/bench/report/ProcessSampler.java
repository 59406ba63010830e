package dev.trainyard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads {@code /proc} once a second for each named group of processes (the API, the worker,
 * Temporal, PostgreSQL's processes): resident memory (peak of the group's sum) and CPU (cores used
 * on average between {@link #mark} and {@link #stop}).
 */
public final class ProcessSampler implements AutoCloseable {
  private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux
  private final Map<String, Supplier<List<Long>>> groups;
  private final Map<String, Long> peakRssKb = new LinkedHashMap<>();
  private final Map<String, Long> ticksAtMark = new LinkedHashMap<>();
  private final Map<String, Long> ticksAtStop = new LinkedHashMap<>();
  private long markNanos;
  private long stopNanos;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "proc-sampler");
            t.setDaemon(true);
            return t;
          });

  public ProcessSampler(Map<String, Supplier<List<Long>>> groups) {
    this.groups = groups;
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  /** Starts the CPU window and the peak-RSS record. */
  public synchronized void mark() {
    peakRssKb.clear();
    groups.forEach((name, pids) -> ticksAtMark.put(name, ticks(pids.get())));
    markNanos = System.nanoTime();
    stopNanos = 0;
  }

  public synchronized void stop() {
    groups.forEach((name, pids) -> ticksAtStop.put(name, ticks(pids.get())));
    stopNanos = System.nanoTime();
  }

  private synchronized void sample() {
    groups.forEach((name, pids) -> peakRssKb.merge(name, rssKb(pids.get()), Math::max));
  }

  /** name → {rss_peak_mib, cpu_cores}. */
  public synchronized Map<String, Map<String, Double>> results() {
    sample();
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    double seconds = ((stopNanos == 0 ? System.nanoTime() : stopNanos) - markNanos) / 1e9;
    groups.forEach(
        (name, pids) -> {
          long end = stopNanos == 0 ? ticks(pids.get()) : ticksAtStop.getOrDefault(name, 0L);
          double cores = (end - ticksAtMark.getOrDefault(name, 0L)) / CLOCK_TICKS / seconds;
          Map<String, Double> figures = new LinkedHashMap<>();
          figures.put("rss_peak_mib", peakRssKb.getOrDefault(name, 0L) / 1024.0);
          figures.put("cpu_cores", cores);
          out.put(name, figures);
        });
    return out;
  }

  static long rssKb(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            total += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process ended: it uses nothing
      }
    }
    return total;
  }

  static long ticks(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after the command name (which may hold spaces) start after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      } catch (IOException | RuntimeException e) {
        // ended
      }
    }
    return total;
  }

  /** Processes whose command line contains {@code needle} (PostgreSQL's backends, say). */
  public static List<Long> pidsWithCommandLine(String needle) {
    try (var dirs = Files.list(Path.of("/proc"))) {
      return dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(
              p -> {
                try {
                  return new String(Files.readAllBytes(p.resolve("cmdline")))
                      .replace('\0', ' ')
                      .contains(needle);
                } catch (IOException e) {
                  return false;
                }
              })
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
