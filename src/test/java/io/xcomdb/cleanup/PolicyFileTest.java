package io.xcomdb.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyFileTest {

  @Test
  void aFileGivesTheSamePolicyAsTheFlags() {
    RetentionPolicy file = PolicyFile.parse("""
        default: 30d
        rules:
          - {dag: "ml_*", ttl: 90d}
          - key: "big_*"
            ttl: 2d
          - {dag: "etl_*", key: "audit*", ttl: forever}
          - {dag: "old_*", ttl: 2026-01-31}
        keep-last: 3
        protect-newest-successful-run: true
        skip-archive: true
        """);
    RetentionPolicy flags = RetentionPolicy.of(Expiry.olderThan(Duration.ofDays(30)))
        .withDagRule("ml_*", Expiry.olderThan(Duration.ofDays(90)))
        .withKeyRule("big_*", Expiry.olderThan(Duration.ofDays(2)))
        .withRule("etl_*", "audit*", Expiry.forever())
        .withDagRule("old_*", Expiry.parse("2026-01-31"))
        .withKeepLast(3).withNewestSuccessfulRunProtected(true).withArchiveIncluded(false);

    assertEquals(flags.rules(), file.rules());
    assertEquals(List.of("dag=etl_* key=audit*", "key=big_*", "dag=ml_*", "dag=old_*", "default"),
        file.rules().stream().map(RetentionPolicy.Rule::label).toList());
    assertEquals(3, file.keepLast());
    assertTrue(file.protectsNewestSuccessfulRun());
    assertFalse(file.includesArchive());
  }

  @Test
  void onlyTheDefaultIsRequiredAndGuardsAreOffByDefault() {
    RetentionPolicy p = PolicyFile.parse("default: forever\n");
    assertEquals(List.of(new RetentionPolicy.Rule(java.util.Optional.empty(), java.util.Optional.empty(), Expiry.forever())),
        p.rules());
    assertEquals(0, p.keepLast());
    assertFalse(p.protectsNewestSuccessfulRun());
    assertTrue(p.includesArchive());
  }

  @Test
  void mistakesAreRefusedWithWhatWasWrong() {
    assertMessage("'default: <ttl>' is missing", "rules: []\n");
    assertMessage("unknown key(s) [keep_last]", "default: 30d\nkeep_last: 3\n");
    assertMessage("unknown key(s) [glob] in rule 1", "default: 30d\nrules:\n  - {glob: x, ttl: 1d}\n");
    assertMessage("rule 1 needs a dag glob, a key glob or both", "default: 30d\nrules:\n  - {ttl: 1d}\n");
    assertMessage("rule 2 needs a ttl", "default: 30d\nrules:\n  - {dag: a, ttl: 1d}\n  - {dag: b}\n");
    assertMessage("'keep-last' must be a whole number", "default: 30d\nkeep-last: three\n");
    assertMessage("'skip-archive' must be true or false", "default: 30d\nskip-archive: sometimes\n");
    assertMessage("not valid YAML", "default: [30d\n");
    assertMessage("is not a duration", "default: 30 days\n");
  }

  @Test
  void aliasesDuplicateKeysAndSecondDocumentsAreRefusedNamingTheirLine() {
    // the YAML reader hands an alias over as the anchor's name: "*1d" would read as 1d, not as the anchor's 90d
    assertMessage("line 2: 'default' is the YAML alias *1d, which policy files do not take: write the value out",
        "rules: [{dag: x, ttl: &1d 90d}]\ndefault: *1d\n");
    assertMessage("line 4: a list item is the YAML alias *r", "default: 30d\nrules:\n  - &r {dag: x, ttl: 90d}\n  - *r\n");
    assertMessage("line 3: the key 'default' is given twice: give each key once",
        "default: 90d\nkeep-last: 3\ndefault: 1d\n");
    assertMessage("line 3: the key 'ttl' is given twice", "default: 30d\nrules:\n  - {dag: x, ttl: forever, ttl: 1d}\n");
    assertMessage("line 3: a second YAML document", "default: 90d\n---\ndefault: 1d\n");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> PolicyFile.parse("default: [30d\n"));
    assertEquals(1, bad.getMessage().lines().count(), bad.getMessage());
  }

  @Test
  void shortTtlsAreAllowedOnlyByTheFile() {
    assertFalse(PolicyFile.parse("default: 0d\n").allowsShortTtl());
    Instant now = Instant.parse("2026-06-30T12:00:00Z");
    assertThrows(IllegalArgumentException.class, () -> PolicyFile.parse("default: 0d\n").checkTtls(now));
    RetentionPolicy allowed = PolicyFile.parse("default: 0d\nallow-short-ttl: true\n");
    assertTrue(allowed.allowsShortTtl());
    allowed.checkTtls(now);
    assertMessage("'allow-short-ttl' must be true or false", "default: 0d\nallow-short-ttl: yes please\n");
  }

  private static void assertMessage(String expected, String yaml) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyFile.parse(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
