package io.xcomdb.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

  @Test
  void globsBecomeLikePatternsWithOnlyStarAndQuestionMarkSpecial() {
    assertEquals("etl!_%", new Glob("etl_*").toLike());
    assertEquals("a_c", new Glob("a?c").toLike());
    assertEquals("100!%!_done", new Glob("100%_done").toLike());
    assertEquals("wow!!", new Glob("wow!").toLike());
    assertTrue(new Glob("**").matchesAll());
    assertFalse(new Glob("*_*").matchesAll());
    assertThrows(IllegalArgumentException.class, () -> new Glob(""));
  }

  @Test
  void rulesComeInPrecedenceOrderKeepingTheOrderGivenWithinALevel() {
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(Duration.ofDays(30)))
        .withDagRule("d1", Expiry.forever())
        .withKeyRule("k1", Expiry.forever())
        .withRule("d2", "k2", Expiry.forever())
        .withDagRule("d3", Expiry.forever())
        .withKeyRule("k3", Expiry.forever())
        .withRule("d4", "k4", Expiry.forever());

    assertEquals(List.of("dag=d2 key=k2", "dag=d4 key=k4", "key=k1", "key=k3", "dag=d1", "dag=d3", "default"),
        policy.rules().stream().map(RetentionPolicy.Rule::label).toList());
  }

  @Test
  void policiesAreImmutable() {
    RetentionPolicy base = RetentionPolicy.of(Expiry.olderThan(Duration.ofDays(30)));
    RetentionPolicy more = base.withDagRule("etl_*", Expiry.forever()).withKeepLast(3).withArchiveIncluded(false);

    assertEquals(1, base.rules().size());
    assertEquals(0, base.keepLast());
    assertTrue(base.includesArchive());
    assertEquals(2, more.rules().size());
    assertEquals(3, more.keepLast());
    assertFalse(more.includesArchive());
    assertThrows(IllegalArgumentException.class, () -> base.withKeepLast(-1));
    assertThrows(IllegalArgumentException.class,
        () -> base.withRule(new RetentionPolicy.Rule(Optional.empty(), Optional.empty(), Expiry.forever())));
  }

  @Test
  void expiriesAreReadFromAgesTimestampsAndForever() {
    Instant now = Instant.parse("2026-06-30T12:00:00Z");
    assertEquals(Optional.of(Instant.parse("2026-05-31T12:00:00Z")), Expiry.parse("30d").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-06-16T12:00:00Z")), Expiry.parse("2w").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-06-30T00:00:00Z")), Expiry.parse("12h").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-06-30T10:30:00Z")), Expiry.parse("90m").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-06-29T12:00:00Z")), Expiry.parse("P1D").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-01-31T00:00:00Z")), Expiry.parse("2026-01-31").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-01-31T10:00:00Z")), Expiry.parse("2026-01-31T12:00:00+02:00").cutoff(now));
    assertEquals(Optional.of(Instant.parse("2026-01-31T12:00:00Z")), Expiry.parse("2026-01-31 12:00:00").cutoff(now));
    assertEquals(Optional.empty(), Expiry.parse("forever").cutoff(now));
    assertEquals("older than 30d", Expiry.parse("30d").toString());
  }

  @Test
  void badExpiriesSayWhatIsExpected() {
    IllegalArgumentException age = assertThrows(IllegalArgumentException.class, () -> Expiry.parse("30 days"));
    assertTrue(age.getMessage().contains("e.g. 30d"), age.getMessage());
    IllegalArgumentException date = assertThrows(IllegalArgumentException.class, () -> Expiry.parse("2026-13-01"));
    assertTrue(date.getMessage().contains("not a timestamp"), date.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Expiry.parseDuration("-P1D"));
  }

  @Test
  void absurdAgesAndTimestampsAreRefusedWithTheAllowedRange() {
    for (String absurd : List.of("99999999999d", "36501d", "P36501D")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expiry.parse(absurd));
      assertTrue(e.getMessage().contains("out of range: give 1h to 36500d"), absurd + ": " + e.getMessage());
    }
    for (String overflowing : List.of("9999999999999999999d", "9999999999999999w", "P999999999999999999D")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expiry.parse(overflowing));
      assertTrue(e.getMessage().contains("at most 36500d"), overflowing + ": " + e.getMessage());
    }
    assertEquals(Optional.of(Instant.parse("1926-06-19T12:00:00Z")),
        Expiry.parse("36500d").cutoff(Instant.parse("2026-05-25T12:00:00Z")));
    IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> Expiry.parse("1900-01-01"));
    assertTrue(early.getMessage().contains("from 1970-01-01 to 9999-12-31"), early.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Expiry.parse(" ")).getMessage().contains("TTL is missing"));
  }

  @Test
  void cutoffsLessThanAnHourAgoAreRefusedUnlessShortTtlsAreAllowed() {
    Instant now = Instant.parse("2026-06-30T12:00:00Z");
    RetentionPolicy hour = RetentionPolicy.of(Expiry.parse("1h")).withKeyRule("big_*", Expiry.parse("60m"))
        .withDagRule("old_*", Expiry.parse("2026-06-30T11:00:00Z"));
    hour.checkTtls(now); // exactly the floor is allowed
    for (String shortTtl : List.of("0d", "0s", "59m", "3599s", "PT0S", "2026-06-30T11:00:01Z", "2099-01-01")) {
      RetentionPolicy p = hour.withDagRule("etl_*", Expiry.parse(shortTtl));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.checkTtls(now), shortTtl);
      assertTrue(e.getMessage().startsWith("rule dag=etl_* ("), e.getMessage());
      assertTrue(e.getMessage().contains("--allow-short-ttl"), e.getMessage());
      assertTrue(e.getMessage().contains(shortTtl.startsWith("2099") ? "is in the future" : "younger than 1h"), e.getMessage());
      assertFalse(p.allowsShortTtl());
      RetentionPolicy allowed = p.withShortTtlAllowed(true);
      assertTrue(allowed.allowsShortTtl());
      allowed.checkTtls(now);
      assertTrue(allowed.withKeepLast(1).withNewestSuccessfulRunProtected(true).withArchiveIncluded(false)
          .withDagRule("x", Expiry.forever()).allowsShortTtl(), "kept by every with...");
    }
    RetentionPolicy.of(Expiry.forever()).withKeyRule("*", Expiry.parse("2026-01-01")).checkTtls(now);
  }

  @Test
  void optionsRefuseNonsense() {
    CleanupOptions defaults = CleanupOptions.defaults();
    assertEquals(10_000, defaults.batchSize());
    assertThrows(IllegalArgumentException.class, () -> defaults.withBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> defaults.withMaxDuration(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> defaults.withMaxRowsPerSecond(-1));
    assertThrows(IllegalArgumentException.class, () -> defaults.withMaxRetries(-1));
  }
}
