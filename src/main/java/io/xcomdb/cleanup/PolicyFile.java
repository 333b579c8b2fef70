package io.xcomdb.cleanup;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RetentionPolicy} written down in YAML, with the same rules, precedence and TTL grammar as the
 * {@code cleanup} flags:
 *
 * <pre>
 * default: 30d                      # the --older-than / --before rule: an age, a timestamp or forever
 * rules:                            # any order; precedence as for the flags: dag+key > key > dag, then as listed
 *   - {dag: "ml_*", ttl: 90d}       # --dag-rule
 *   - {key: "big_*", ttl: 2d}       # --key-rule
 *   - {dag: "etl_*", key: "audit*", ttl: forever}   # --rule
 * keep-last: 3                      # optional
 * protect-newest-successful-run: true               # optional
 * skip-archive: false               # optional: leave _xcom_archive alone
 * purge-object-storage: s3://aws_default@bucket/xcom   # optional: --purge-object-storage
 * sweep-object-storage: s3://aws_default@bucket/xcom   # optional: --sweep-object-storage
 * allow-short-ttl: false            # optional: --allow-short-ttl, TTLs under 1h
 * </pre>
 *
 * Unknown keys, keys given twice and YAML aliases ({@code *name}, which the YAML reader would hand over as the
 * anchor's name rather than its value) are errors naming their line, so a misread policy never silently turns into
 * deleting more; so is a second YAML document.
 */
public final class PolicyFile {

  private static final Set<String> TOP = Set.of("default", "rules", "keep-last", "protect-newest-successful-run", "skip-archive",
      "purge-object-storage", "sweep-object-storage", "allow-short-ttl");
  private static final Set<String> RULE = Set.of("dag", "key", "ttl");

  private static final YAMLFactory YAML = YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private PolicyFile() {}

  public static RetentionPolicy read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the policy file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("policy file " + file + ": " + e.getMessage(), e);
    }
  }

  public static RetentionPolicy parse(String yaml) {
    JsonNode root;
    try {
      refuseAliasesAndMoreDocuments(yaml);
      root = new ObjectMapper(YAML).readTree(yaml);
    } catch (JacksonException e) {
      String message = e.getOriginalMessage();
      Matcher duplicate = Pattern.compile("Duplicate field '(.*)'").matcher(message == null ? "" : message);
      throw new IllegalArgumentException(line(e.getLocation()) + (duplicate.matches()
          ? "the key '" + duplicate.group(1) + "' is given twice: give each key once (YAML would silently keep the last)"
          : "not valid YAML: " + oneLine(message)));
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a mapping with at least 'default: <ttl>'");
    }
    onlyKnown(root, TOP, "top level");
    if (!root.hasNonNull("default")) {
      throw new IllegalArgumentException("'default: <ttl>' is missing (an age such as 30d, a timestamp, or forever)");
    }
    RetentionPolicy policy = RetentionPolicy.of(Expiry.parse(scalar(root.get("default"), "default")));
    JsonNode rules = root.path("rules");
    if (!rules.isMissingNode() && !rules.isNull()) {
      if (!rules.isArray()) {
        throw new IllegalArgumentException("'rules' must be a list of {dag, key, ttl}");
      }
      int n = 0;
      for (JsonNode rule : rules) {
        n++;
        String where = "rule " + n;
        if (!rule.isObject()) {
          throw new IllegalArgumentException(where + " must be a mapping of dag, key and ttl");
        }
        onlyKnown(rule, RULE, where);
        Optional<Glob> dag = optional(rule, "dag", where).map(Glob::new);
        Optional<Glob> key = optional(rule, "key", where).map(Glob::new);
        if (dag.isEmpty() && key.isEmpty()) {
          throw new IllegalArgumentException(where + " needs a dag glob, a key glob or both");
        }
        String ttl = optional(rule, "ttl", where)
            .orElseThrow(() -> new IllegalArgumentException(where + " needs a ttl (30d, 2026-01-31 or forever)"));
        policy = policy.withRule(new RetentionPolicy.Rule(dag, key, Expiry.parse(ttl)));
      }
    }
    if (root.hasNonNull("keep-last")) {
      JsonNode keep = root.get("keep-last");
      if (!keep.canConvertToInt() || !keep.isIntegralNumber()) {
        throw new IllegalArgumentException("'keep-last' must be a whole number, was " + keep);
      }
      policy = policy.withKeepLast(keep.intValue());
    }
    policy = policy.withNewestSuccessfulRunProtected(flag(root, "protect-newest-successful-run"));
    policy = policy.withArchiveIncluded(!flag(root, "skip-archive"));
    policy = policy.withShortTtlAllowed(flag(root, "allow-short-ttl"));
    if (root.hasNonNull("purge-object-storage")) {
      policy = policy.withObjectStoragePurge(scalar(root.get("purge-object-storage"), "purge-object-storage"));
    }
    if (root.hasNonNull("sweep-object-storage")) {
      policy = policy.withObjectStorageSweep(scalar(root.get("sweep-object-storage"), "sweep-object-storage"));
    }
    return policy;
  }

  /** Walks the tokens once: an alias reads as the anchor's name, and a second document would be ignored. */
  private static void refuseAliasesAndMoreDocuments(String yaml) throws IOException {
    try (YAMLParser parser = (YAMLParser) YAML.createParser(yaml)) {
      int depth = 0;
      boolean rootDone = false;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (rootDone) {
          throw new IllegalArgumentException(line(parser.currentTokenLocation()) + "a second YAML document: a policy "
              + "file holds one (drop the extra '---')");
        }
        if (parser.isCurrentAlias()) {
          String key = parser.currentName() == null ? "a list item" : "'" + parser.currentName() + "'";
          throw new IllegalArgumentException(line(parser.currentTokenLocation()) + key + " is the YAML alias *"
              + parser.getText() + ", which policy files do not take: write the value out");
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        rootDone = depth == 0 && token != JsonToken.FIELD_NAME;
      }
    }
  }

  /** The YAML reader's message without the indented lines that quote the source and point at it. */
  private static String oneLine(String message) {
    return message == null ? ""
        : String.join(": ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
  }

  private static String line(JsonLocation where) {
    return where == null || where.getLineNr() < 1 ? "" : "line " + where.getLineNr() + ": ";
  }

  private static void onlyKnown(JsonNode node, Set<String> known, String where) {
    List<String> unknown = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!known.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown key(s) " + unknown + " in " + where + "; known: " + known.stream().sorted().toList());
    }
  }

  private static Optional<String> optional(JsonNode node, String field, String where) {
    return node.hasNonNull(field) ? Optional.of(scalar(node.get(field), where + " " + field)) : Optional.empty();
  }

  private static String scalar(JsonNode node, String where) {
    if (!node.isValueNode()) {
      throw new IllegalArgumentException(where + " must be a single value, was " + node);
    }
    return node.asText();
  }

  private static boolean flag(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException("'" + field + "' must be true or false, was " + node);
    }
    return node.booleanValue();
  }
}
