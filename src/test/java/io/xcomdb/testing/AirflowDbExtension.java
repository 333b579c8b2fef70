package io.xcomdb.testing;

import io.xcomdb.demo.AirflowSchemaFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/** The engine behind {@link AirflowDbTest}. */
final class AirflowDbExtension implements TestTemplateInvocationContextProvider {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AirflowDbExtension.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getTestMethod(), AirflowDbTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    AirflowDbTest spec = AnnotationSupport.findAnnotation(context.getTestMethod(), AirflowDbTest.class).orElseThrow();
    List<TestTemplateInvocationContext> out = new ArrayList<>();
    for (TestServer server : spec.servers()) {
      for (AirflowSchemaFixture fixture : spec.fixtures()) {
        out.add(new Invocation(server, fixture, spec.createSchema()));
      }
    }
    return out.stream();
  }

  private record Invocation(TestServer server, AirflowSchemaFixture fixture, boolean createSchema)
      implements TestTemplateInvocationContext {

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + server.label() + " · " + fixture.label() + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Condition(server), new Resolver(server, fixture, createSchema), new Counter(server, fixture));
    }
  }

  private record Condition(TestServer server) implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      TestServers.Lookup lookup = TestServers.lookup(server);
      return lookup.handle() != null
          ? ConditionEvaluationResult.enabled(server.label() + " from " + lookup.handle().source())
          : ConditionEvaluationResult.disabled(lookup.whyMissing());
    }
  }

  private record Resolver(TestServer server, AirflowSchemaFixture fixture, boolean createSchema) implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == AirflowDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      ServerHandle handle = TestServers.lookup(server).handle();
      // closed (database dropped) when the invocation's store closes
      return context.getStore(NS).computeIfAbsent("db", k -> new AirflowDb(handle, fixture, createSchema), AirflowDb.class);
    }
  }

  /** Appends one line per executed test to target/db-test-runs.tsv, which .ci/run counts per server. */
  private record Counter(TestServer server, AirflowSchemaFixture fixture) implements AfterTestExecutionCallback {
    @Override
    public void afterTestExecution(ExtensionContext context) throws IOException {
      String dir = System.getenv().getOrDefault("XCOMDB_PROJECT_DIR", ".");
      Path log = Path.of(dir, "target", "db-test-runs.tsv");
      Files.createDirectories(log.getParent());
      String line = server.label() + "\t" + fixture.label() + "\t" + context.getRequiredTestClass().getSimpleName() + "."
          + context.getRequiredTestMethod().getName() + "\t" + (context.getExecutionException().isPresent() ? "failed" : "passed") + "\n";
      Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
