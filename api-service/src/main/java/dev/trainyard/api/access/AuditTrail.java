package dev.trainyard.api.access;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.access.AuditDao;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Records a state-changing user action with the key id that did it. */
public final class AuditTrail {
  private final Jdbi jdbi;
  private final JsonText json;

  public AuditTrail(Jdbi jdbi, JsonText json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  /**
   * @param detail what else an admin would want to know (never a key or token); may be empty
   */
  public void record(
      UserPrincipal actor, String action, String project, String target, Map<String, ?> detail) {
    String detailJson = detail.isEmpty() ? null : json.write(detail);
    jdbi.useExtension(
        AuditDao.class, audit -> audit.record(actor.keyId(), action, project, target, detailJson));
  }
}
