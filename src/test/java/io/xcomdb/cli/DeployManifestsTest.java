package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.xcomdb.cleanup.CronSchedule;
import io.xcomdb.cleanup.PolicyFile;
import io.xcomdb.cleanup.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The manifests in deploy/kubernetes and the crontab lines in README call the real CLI with options that exist. */
class DeployManifestsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path PROJECT = Path.of(System.getenv().getOrDefault("XCOMDB_PROJECT_DIR", "."));

  @Test
  void theCronJobRunsARealCleanupOnceAtATimeWithTheAirflowDatabaseSecret() throws IOException {
    JsonNode cronJob = only(documents("xcomdb-cleanup-cronjob.yaml"), "CronJob");
    JsonNode spec = cronJob.get("spec");
    CronSchedule.parse(spec.get("schedule").asText(), ZoneId.of(spec.get("timeZone").asText()));
    assertEquals("Forbid", spec.get("concurrencyPolicy").asText());
    JsonNode job = spec.at("/jobTemplate/spec");
    assertTrue(job.get("backoffLimit").asInt() >= 0);
    JsonNode pod = job.at("/template/spec");
    assertEquals("Never", pod.get("restartPolicy").asText());
    JsonNode container = pod.get("containers").get(0);

    ParseResult cleanup = parse(container, "cleanup");
    assertTrue(cleanup.hasMatchedOption("--yes"), "a CronJob has no terminal to confirm on");
    assertDatabaseFromSecret(container);
    assertHeapFitsTheLimit(container);
  }

  @Test
  void theDeploymentServesMetricsAndProbesTheHealthEndpoint(@TempDir Path dir) throws IOException {
    List<JsonNode> docs = documents("xcomdb-serve-deployment.yaml");
    JsonNode pod = only(docs, "Deployment").at("/spec/template/spec");
    JsonNode container = pod.get("containers").get(0);

    ParseResult serve = parse(container, "serve");
    assertTrue(serve.hasMatchedOption("--yes"));
    CronSchedule.parse(serve.matchedOptionValue("--cleanup-schedule", ""), ZoneId.of(serve.matchedOptionValue("--time-zone", "UTC")));
    assertEquals("0.0.0.0", serve.matchedOptionValue("--http-host", "127.0.0.1"), "probes cannot reach 127.0.0.1");
    int httpPort = serve.matchedOptionValue("--http-port", 9464);
    JsonNode port = container.get("ports").get(0);
    assertEquals(httpPort, port.get("containerPort").asInt());
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      JsonNode get = container.get(probe).get("httpGet");
      assertEquals("/health", get.get("path").asText(), probe);
      assertEquals(port.get("name").asText(), get.get("port").asText(), probe);
    }
    assertDatabaseFromSecret(container);
    assertHeapFitsTheLimit(container);

    // the policy file the Deployment mounts is one xcomdb reads
    Path mounted = Path.of(serve.matchedOptionValue("--policy", Path.of("")).toString());
    JsonNode mount = container.get("volumeMounts").get(0);
    assertEquals(mounted.getParent().toString(), mount.get("mountPath").asText());
    JsonNode configMap = only(docs, "ConfigMap");
    Path policy = Files.writeString(dir.resolve("policy.yaml"), configMap.at("/data/" + mounted.getFileName()).asText());
    RetentionPolicy read = PolicyFile.read(policy);
    assertEquals(4, read.rules().size());
  }

  @Test
  void theReadmeCrontabLinesParse() throws IOException {
    Pattern line = Pattern.compile("(?m)^[0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ +(.*?bin/xcomdb (cleanup .*?))(?: >>.*)?$");
    Matcher m = line.matcher(Files.readString(PROJECT.resolve("README.md")));
    int found = 0;
    while (m.find()) {
      String[] args = m.group(2).replace("'", "").split(" +");
      ParseResult cleanup = new CommandLine(new Main()).parseArgs(args).subcommand();
      assertTrue(cleanup.hasMatchedOption("--yes"), m.group());
      found++;
    }
    assertTrue(found >= 1, "no crontab line in README");
  }

  @Test
  void theDockerfileBuildsTheImageTheManifestsRun() throws IOException {
    List<String> lines = Files.readAllLines(PROJECT.resolve("deploy/docker/Dockerfile")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertTrue(lines.get(0).matches("FROM eclipse-temurin:17-jre\\S*"), lines.get(0));
    // what `mvn package` writes (finalName, copy-dependencies into lib/, the manifest's lib/ class path) is what is copied
    String pom = Files.readString(PROJECT.resolve("pom.xml"));
    assertTrue(pom.contains("<finalName>xcomdb</finalName>") && pom.contains("<classpathPrefix>lib/</classpathPrefix>")
        && pom.contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>"), "pom.xml changed its jar layout");
    assertTrue(lines.contains("COPY target/xcomdb.jar /opt/xcomdb/xcomdb.jar"), lines.toString());
    assertTrue(lines.contains("COPY target/lib/ /opt/xcomdb/lib/"), lines.toString());
    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    List<String> exec = strings(YAML.readTree(entrypoint.substring("ENTRYPOINT ".length())));
    assertEquals(List.of("-jar", "/opt/xcomdb/xcomdb.jar"), exec.subList(exec.size() - 2, exec.size()));
    // both manifests run as the image's own unprivileged user
    String user = lines.stream().filter(l -> l.startsWith("USER ")).findFirst().orElseThrow().substring(5);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("RUN useradd ") && l.contains("--uid " + user + " ")), user);
    JsonNode cronPod = only(documents("xcomdb-cleanup-cronjob.yaml"), "CronJob").at("/spec/jobTemplate/spec/template/spec");
    JsonNode servePod = only(documents("xcomdb-serve-deployment.yaml"), "Deployment").at("/spec/template/spec");
    for (JsonNode pod : List.of(cronPod, servePod)) {
      assertEquals(user, pod.at("/securityContext/runAsUser").asText());
      assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
      assertTrue(pod.at("/containers/0/image").asText().startsWith("xcomdb:"));
    }
  }

  private static ParseResult parse(JsonNode container, String command) {
    List<String> exec = strings(container.get("command"));
    assertEquals(List.of("-jar", "/opt/xcomdb/xcomdb.jar"), exec.subList(exec.size() - 2, exec.size()));
    List<String> args = strings(container.get("args"));
    assertEquals(command, args.get(0));
    ParseResult result = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)).subcommand();
    assertEquals(command, result.commandSpec().name());
    assertTrue(result.unmatched().isEmpty(), "unknown arguments: " + result.unmatched());
    return result;
  }

  private static void assertDatabaseFromSecret(JsonNode container) {
    JsonNode env = container.get("env").get(0);
    assertEquals("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", env.get("name").asText());
    assertFalse(env.at("/valueFrom/secretKeyRef/name").isMissingNode(), "the URL holds a password: keep it in a Secret");
  }

  private static void assertHeapFitsTheLimit(JsonNode container) {
    assertTrue(strings(container.get("command")).contains("-Xmx256m"));
    String limit = container.at("/resources/limits/memory").asText();
    Matcher mi = Pattern.compile("(\\d+)Mi").matcher(limit);
    assertTrue(mi.matches() && Integer.parseInt(mi.group(1)) > 256, "memory limit " + limit + " leaves no room above the heap");
  }

  private static List<JsonNode> documents(String file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(PROJECT.resolve("deploy/kubernetes").resolve(file).toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    return docs;
  }

  private static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    assertEquals(1, found.size(), kind);
    return found.get(0);
  }

  private static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }
}
