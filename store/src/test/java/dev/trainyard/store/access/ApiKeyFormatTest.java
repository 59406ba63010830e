package dev.trainyard.store.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {
  @Test
  void aNewKeyIsRecognisableAndNamesItsId() {
    String key = ApiKeyFormat.newKey();
    assertThat(key).startsWith("ty_").hasSize(3 + 12 + 1 + 43);
    assertThat(ApiKeyFormat.keyId(key)).contains(key.substring(3, 15));
    assertThat(ApiKeyFormat.KEY_ID.matcher(key.substring(3, 15)).matches()).isTrue();
  }

  @Test
  void keysAndIdsDoNotRepeat() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(ids.add(ApiKeyFormat.keyId(ApiKeyFormat.newKey()).orElseThrow())).isTrue();
    }
  }

  @Test
  void theHashIsOfTheWholeKey() {
    String key = ApiKeyFormat.newKey();
    String sameId = key.substring(0, 16) + ApiKeyFormat.newKey().substring(16);
    assertThat(ApiKeyFormat.hash(key)).hasSize(32).isEqualTo(ApiKeyFormat.hash(key));
    assertThat(ApiKeyFormat.hash(sameId)).isNotEqualTo(ApiKeyFormat.hash(key));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ty_",
        "ty_abcdefghijkl_",
        "TY_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ty_ABCDEFGHIJKL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ty_abcdefghijk1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ty_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ty_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ty_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "ty_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
        "ty_abcdefghijkl AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqb2ItMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
      })
  void anythingElseIsNotAKey(String text) {
    assertThat(ApiKeyFormat.keyId(text)).isEmpty();
  }

  @Test
  void nullIsNotAKey() {
    assertThat(ApiKeyFormat.keyId(null)).isEmpty();
  }
}
