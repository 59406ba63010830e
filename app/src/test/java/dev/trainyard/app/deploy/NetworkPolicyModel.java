package dev.trainyard.app.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, as Kubernetes does, whether a TCP connection between two pods is allowed by a set of
 * NetworkPolicies: the source's egress policies and the destination's ingress policies must both
 * let it through, and a pod that no policy of a direction selects is open in that direction.
 * Namespaces carry their automatic {@code kubernetes.io/metadata.name} label only. Pod addresses
 * are taken to be in the private ranges, so an {@code ipBlock} matches a pod unless it excepts all
 * of them (an {@code ipBlock} rule that does not is reported as matching every pod). Named ports
 * are refused: the manifests use numbers, so a reader sees the port without the pod spec.
 */
final class NetworkPolicyModel {
  private static final String NAMESPACE_LABEL = "kubernetes.io/metadata.name";
  private static final Set<String> POD_RANGES =
      Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10");

  private final List<NetworkPolicy> policies;

  NetworkPolicyModel(List<NetworkPolicy> policies) {
    this.policies = policies;
  }

  boolean allows(
      String fromNamespace,
      Map<String, String> fromPod,
      String toNamespace,
      Map<String, String> toPod,
      int port) {
    return egressAllows(fromNamespace, fromPod, toNamespace, toPod, port)
        && ingressAllows(fromNamespace, fromPod, toNamespace, toPod, port);
  }

  /** The {@code except} ranges of every egress ipBlock of the policies in {@code namespace}. */
  List<String> trainerIpBlocksExclude(String namespace) {
    List<String> excepts = new ArrayList<>();
    for (NetworkPolicy policy : policies) {
      if (namespace.equals(policy.getMetadata().getNamespace())
          && policy.getSpec().getEgress() != null) {
        policy.getSpec().getEgress().stream()
            .filter(rule -> rule.getTo() != null)
            .flatMap(rule -> rule.getTo().stream())
            .map(NetworkPolicyPeer::getIpBlock)
            .filter(block -> block != null && block.getExcept() != null)
            .forEach(block -> excepts.addAll(block.getExcept()));
      }
    }
    return excepts;
  }

  /** What the source's egress policies alone allow. */
  boolean egressAllows(
      String fromNamespace,
      Map<String, String> fromPod,
      String toNamespace,
      Map<String, String> toPod,
      int port) {
    boolean selected = false;
    for (NetworkPolicy policy : policies) {
      if (!appliesTo(policy, "Egress", fromNamespace, fromPod)) {
        continue;
      }
      selected = true;
      for (var rule : nullToEmpty(policy.getSpec().getEgress())) {
        if (portMatches(rule.getPorts(), port)
            && peersMatch(rule.getTo(), fromNamespace, toNamespace, toPod)) {
          return true;
        }
      }
    }
    return !selected;
  }

  /** What the destination's ingress policies alone allow. */
  boolean ingressAllows(
      String fromNamespace,
      Map<String, String> fromPod,
      String toNamespace,
      Map<String, String> toPod,
      int port) {
    boolean selected = false;
    for (NetworkPolicy policy : policies) {
      if (!appliesTo(policy, "Ingress", toNamespace, toPod)) {
        continue;
      }
      selected = true;
      for (var rule : nullToEmpty(policy.getSpec().getIngress())) {
        if (portMatches(rule.getPorts(), port)
            && peersMatch(rule.getFrom(), toNamespace, fromNamespace, fromPod)) {
          return true;
        }
      }
    }
    return !selected;
  }

  private static boolean appliesTo(
      NetworkPolicy policy, String type, String namespace, Map<String, String> pod) {
    List<String> types = policy.getSpec().getPolicyTypes();
    boolean hasType =
        types == null || types.isEmpty()
            ? type.equals("Ingress")
                || (type.equals("Egress") && policy.getSpec().getEgress() != null)
            : types.contains(type);
    return hasType
        && namespace.equals(policy.getMetadata().getNamespace())
        && matches(policy.getSpec().getPodSelector(), pod);
  }

  /** No peers: every peer. A peer without a namespace selector: the policy's own namespace. */
  private static boolean peersMatch(
      List<NetworkPolicyPeer> peers,
      String policyNamespace,
      String otherNamespace,
      Map<String, String> otherPod) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        if (coversPods(peer.getIpBlock())) {
          return true;
        }
        continue;
      }
      boolean namespaceMatches =
          peer.getNamespaceSelector() == null
              ? policyNamespace.equals(otherNamespace)
              : matches(peer.getNamespaceSelector(), Map.of(NAMESPACE_LABEL, otherNamespace));
      boolean podMatches =
          peer.getPodSelector() == null || matches(peer.getPodSelector(), otherPod);
      if (namespaceMatches && podMatches) {
        return true;
      }
    }
    return false;
  }

  private static boolean coversPods(IPBlock block) {
    List<String> except = block.getExcept() == null ? List.of() : block.getExcept();
    return !except.containsAll(POD_RANGES);
  }

  private static boolean portMatches(List<NetworkPolicyPort> ports, int port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort candidate : ports) {
      if (candidate.getProtocol() != null && !candidate.getProtocol().equals("TCP")) {
        continue;
      }
      IntOrString value = candidate.getPort();
      if (value == null) {
        return true;
      }
      if (value.getIntVal() == null) {
        throw new AssertionError("named port " + value.getStrVal() + " in a NetworkPolicy");
      }
      int low = value.getIntVal();
      int high = candidate.getEndPort() == null ? low : candidate.getEndPort();
      if (port >= low && port <= high) {
        return true;
      }
    }
    return false;
  }

  /** A label selector; an empty one selects everything. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement requirement : nullToEmpty(selector.getMatchExpressions())) {
      String value = labels.get(requirement.getKey());
      boolean ok =
          switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("operator " + requirement.getOperator());
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
