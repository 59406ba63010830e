package dev.trainyard.store.access;

import java.util.Locale;
import java.util.Optional;

/** A key's role in its project; each includes the ones before it. */
public enum Role {
  /** Reads jobs, events, metrics, logs, artifacts and datasets. */
  VIEWER,
  /** Also submits and cancels jobs and uploads datasets. */
  MEMBER,
  /** Also manages the project's keys and reads its audit log. */
  ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  public static Optional<Role> fromWire(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
