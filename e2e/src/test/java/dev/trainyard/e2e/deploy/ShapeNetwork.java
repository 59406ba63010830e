package dev.trainyard.e2e.deploy;

import dev.trainyard.e2e.support.Ports;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network of one deploy shape, on this machine: every {@code host:port} a deploy file names (a
 * compose service, a Kubernetes Service's DNS name) is a port on 127.0.0.1, that of the local
 * server standing in for it or of the started container that listens there; each container's own
 * ports are free local ones (containers have a network of their own, this machine has one for all).
 * A URL with a scheme the stand-in does not speak is replaced whole (MLflow's server by the dev
 * stack's file store). A name this table does not know stops the test: the deploy file points at
 * something no test stands in for.
 */
final class ShapeNetwork {
  private static final Pattern HOST_PORT =
      Pattern.compile("(?<![A-Za-z0-9.-])([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*):(\\d{2,5})(?![0-9])");

  private final Map<String, String> hosts = new LinkedHashMap<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private final Map<String, Map<Integer, Integer>> containerPorts = new LinkedHashMap<>();
  private final java.util.Set<String> containerHosts = new java.util.LinkedHashSet<>();

  /** {@code host:port} (as a deploy file writes it) is served on 127.0.0.1:{@code localPort}. */
  void route(String hostPort, int localPort) {
    hosts.put(hostPort, "127.0.0.1:" + localPort);
  }

  /**
   * {@code host:port} is an address of the machine that runs the stack, not of its network (a
   * published port the dashboard links to): kept as written.
   */
  void keep(String hostPort) {
    hosts.put(hostPort, hostPort);
  }

  /** Values starting with {@code url} start with {@code replacement} instead. */
  void replaceUrl(String url, String replacement) {
    urls.put(url, replacement);
  }

  /** The local port of {@code container}'s port {@code containerPort}, allocated on first use. */
  int localPort(String container, int containerPort) {
    return containerPorts
        .computeIfAbsent(container, c -> new LinkedHashMap<>())
        .computeIfAbsent(containerPort, p -> Ports.free());
  }

  /** Each of {@code names} is a host name for the container of that name (compose services). */
  void containerHosts(java.util.Collection<String> names) {
    containerHosts.addAll(names);
  }

  /** {@code host:port} reaches {@code container}'s port {@code containerPort}. */
  void routeToContainer(String hostPort, String container, int containerPort) {
    route(hostPort, localPort(container, containerPort));
  }

  /** {@code value} with every known URL and {@code host:port} replaced by its local address. */
  String rewrite(String value) {
    String out = value;
    for (Map.Entry<String, String> url : urls.entrySet()) {
      if (out.startsWith(url.getKey())) {
        out = url.getValue() + out.substring(url.getKey().length());
      }
    }
    Matcher m = HOST_PORT.matcher(out);
    StringBuilder rewritten = new StringBuilder();
    while (m.find()) {
      String local = hosts.get(m.group());
      if (local == null && containerHosts.contains(m.group(1))) {
        local = "127.0.0.1:" + localPort(m.group(1), Integer.parseInt(m.group(2)));
      }
      if (local == null) {
        throw new AssertionError(
            "'" + value + "' names " + m.group() + ", which this test does not stand in for");
      }
      m.appendReplacement(rewritten, Matcher.quoteReplacement(local));
    }
    m.appendTail(rewritten);
    return rewritten.toString();
  }

  /**
   * A command a probe or healthcheck runs inside {@code container}: its loopback ports are that
   * container's own, here their local ports.
   */
  String rewriteInside(String container, String value) {
    Matcher m = Pattern.compile("\\b(localhost|127\\.0\\.0\\.1):(\\d{2,5})\\b").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int local = localPort(container, Integer.parseInt(m.group(2)));
      m.appendReplacement(out, "127.0.0.1:" + local);
    }
    m.appendTail(out);
    return out.toString();
  }
}
