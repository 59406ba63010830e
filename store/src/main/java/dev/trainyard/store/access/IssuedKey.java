package dev.trainyard.store.access;

/** A key just created: the only moment its full text exists outside the caller's hands. */
public record IssuedKey(String key, ApiKeyRecord record) {
  public String keyId() {
    return record.keyId();
  }

  /** Never the key: a record that ends up in a log line must not leak it. */
  @Override
  public String toString() {
    return "IssuedKey[" + record + "]";
  }
}
