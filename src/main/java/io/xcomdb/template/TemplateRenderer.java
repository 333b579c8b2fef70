package io.xcomdb.template;

import com.fasterxml.jackson.core.type.TypeReference;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.ext.AbstractCallableMethod;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import io.xcomdb.XComDbException;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.PyFrozenSet;
import io.xcomdb.codec.PyObject;
import io.xcomdb.codec.PySet;
import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.XComValues;
import io.xcomdb.repository.XComEntry;
import io.xcomdb.repository.XComQuery;
import io.xcomdb.repository.XComRepository;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders Airflow-style Jinja templates such as {@code SELECT * FROM {{ ti.xcom_pull(task_ids='load', key='table') }}}
 * for one DAG run, with a real Jinja engine (Jinjava). {@code ti} / {@code task_instance} offer
 * {@code xcom_pull(task_ids=None, dag_id=None, key='return_value', include_prior_dates=False, map_indexes=None,
 * default=None)} with keyword arguments in any order; the context also has {@code dag_run}, {@code run_id},
 * {@code dag}, {@code ds}, {@code ds_nodash}, {@code ts}, {@code logical_date}.
 */
public final class TemplateRenderer {

  private final XComRepository xcoms;
  private final DecodeOptions decodeOptions;
  private final Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(false)
      .withInterperterFactory(new PythonOutput()).build());

  public TemplateRenderer(XComRepository xcoms) {
    this(xcoms, DecodeOptions.defaults());
  }

  public TemplateRenderer(XComRepository xcoms, DecodeOptions decodeOptions) {
    this.xcoms = xcoms;
    this.decodeOptions = decodeOptions;
  }

  /** Renders {@code template} in the context of one run of {@code dagId}; template errors are thrown, not printed. */
  public String render(String template, String dagId, String runId) {
    Optional<Instant> runDate = xcoms.runDate(dagId, runId);
    if (runDate.isEmpty()) {
      throw new XComDbException("No DAG run '" + runId + "' of DAG '" + dagId + "' to render the template for.");
    }
    Map<String, Object> context = context(dagId, runId, runDate.get());
    RenderResult result = jinjava.renderForResult(template, context);
    List<TemplateError> fatal = result.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL
            || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) // Jinja2 raises where Jinjava goes on
        .toList();
    if (!fatal.isEmpty()) {
      throw new XComDbException("The template does not render: " + fatal.stream()
          .map(e -> (e.getLineno() > 0 ? "line " + e.getLineno() + ": " : "") + e.getMessage())
          .collect(Collectors.joining("; ")));
    }
    return result.getOutput();
  }

  private Map<String, Object> context(String dagId, String runId, Instant runDate) {
    Map<String, Object> ti = new LinkedHashMap<>();
    ti.put("xcom_pull", new XComPull(dagId, runId));
    ti.put("dag_id", dagId);
    ti.put("run_id", runId);
    Map<String, Object> dagRun = new LinkedHashMap<>();
    dagRun.put("dag_id", dagId);
    dagRun.put("run_id", runId);
    dagRun.put("logical_date", runDate.toString());
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("ti", ti);
    context.put("task_instance", ti);
    context.put("dag_run", dagRun);
    context.put("dag", Map.of("dag_id", dagId));
    context.put("run_id", runId);
    context.put("ds", DateTimeFormatter.ISO_LOCAL_DATE.format(runDate.atOffset(ZoneOffset.UTC)));
    context.put("ds_nodash", DateTimeFormatter.ofPattern("yyyyMMdd").format(runDate.atOffset(ZoneOffset.UTC)));
    context.put("ts", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(runDate.atOffset(ZoneOffset.UTC)));
    context.put("logical_date", runDate.toString());
    return context;
  }

  /** {@code ti.xcom_pull} with Python-style keyword binding (Jinjava's callable-method contract). */
  private final class XComPull extends AbstractCallableMethod {
    private final String dagId;
    private final String runId;

    XComPull(String dagId, String runId) {
      super("xcom_pull", signature());
      this.dagId = dagId;
      this.runId = runId;
    }

    @Override
    public Object doEvaluate(Map<String, Object> args, Map<String, Object> kwargs, List<Object> varargs) {
      if (!kwargs.isEmpty()) {
        throw new IllegalArgumentException("xcom_pull() got unexpected keyword arguments " + kwargs.keySet());
      }
      Object taskIds = args.get("task_ids");
      String fromDag = args.get("dag_id") == null ? dagId : args.get("dag_id").toString();
      String key = args.get("key") == null ? XComQuery.RETURN_VALUE : args.get("key").toString();
      boolean prior = Boolean.TRUE.equals(args.get("include_prior_dates"));
      Object mapIndexes = args.get("map_indexes");
      Object fallback = args.get("default");
      if (taskIds instanceof Collection<?> many) {
        List<Object> values = new ArrayList<>();
        for (Object task : many) {
          Object v = pullOne(fromDag, task.toString(), key, prior, mapIndexes);
          values.add(v == null ? fallback : v);
        }
        return values;
      }
      if (taskIds == null) {
        throw new IllegalArgumentException("xcom_pull() needs task_ids: xcomdb renders outside a task, so there is no "
            + "current task to default to");
      }
      Object value = pullOne(fromDag, taskIds.toString(), key, prior, mapIndexes);
      return value == null ? fallback : value;
    }

    private Object pullOne(String fromDag, String taskId, String key, boolean prior, Object mapIndexes) {
      XComQuery query = XComQuery.forRun(fromDag, runId).withTaskIds(taskId).withKey(key).withPriorDates(prior);
      if (mapIndexes instanceof Collection<?> indexes) {
        List<Object> values = new ArrayList<>();
        for (Object index : indexes) {
          values.add(first(query.withMapIndexes(((Number) index).intValue())));
        }
        return values;
      }
      if (mapIndexes instanceof Number index) {
        return first(query.withMapIndexes(index.intValue()));
      }
      Object unmapped = first(query.withMapIndexes(-1));
      if (unmapped != null || prior) {
        return unmapped;
      }
      // a mapped upstream: all its values in map-index order, as Airflow's LazyXComSequence
      List<Object> mapped = new ArrayList<>();
      for (XComEntry e : xcoms.mapped(fromDag, runId, taskId, key)) {
        mapped.add(plain(e));
      }
      return mapped.isEmpty() ? null : mapped;
    }

    private Object first(XComQuery query) {
      return xcoms.pullOne(query.withLimit(1)).map(TemplateRenderer.this::plain).orElse(null);
    }
  }

  /** The decoded value as plain Java (tuples and sets as lists, datetimes as ISO text) for Jinja to render. */
  private Object plain(XComEntry entry) {
    Decoded decoded = entry.decoded(decodeOptions);
    if (decoded.isUndecodable()) {
      throw new XComDbException("The XCom " + entry.describe() + " cannot be decoded (" + decoded.form() + "): "
          + decoded.undecodable().get().reason());
    }
    return plainValue(decoded.value());
  }

  /**
   * A decoded value as Jinja gets it: lists and str-keyed dicts as Java's, tuples and sets as lists (which
   * Jinjava iterates), numbers, Decimals (NaN and -0 too, which are no BigDecimal) and strings as they are, so
   * that they print as Python's str(); the rest as {@link XComValues#convert} makes it (datetimes as ISO text).
   */
  static Object plainValue(Object v) {
    return plainValue(v, new IdentityHashMap<>());
  }

  private static Object plainValue(Object v, IdentityHashMap<Object, Boolean> path) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean
        || v instanceof PyObject p && p.className().equals("decimal.Decimal")) {
      return v;
    }
    List<?> items = v instanceof List<?> l ? l : v instanceof PyTuple t ? t.items()
        : v instanceof PySet s ? s.items() : v instanceof PyFrozenSet f ? f.items() : null;
    if ((items == null && !(v instanceof Map)) || path.put(v, Boolean.TRUE) != null) {
      return XComValues.convert(v, new TypeReference<Object>() {}); // also refuses a value inside itself
    }
    try {
      if (items != null) {
        List<Object> out = new ArrayList<>(items.size());
        for (Object x : items) {
          out.add(plainValue(x, path));
        }
        return out;
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.put(e.getKey(), plainValue(e.getValue(), path));
      }
      return out;
    } finally {
      path.remove(v);
    }
  }

  /**
   * Interpreters that print {@code {{ value }}} as Jinja2 does, with Python's {@code str()}: Jinjava would print
   * None as nothing, booleans in lower case and lists and dicts in Java's form.
   */
  private static final class PythonOutput implements InterpreterFactory {
    @Override
    public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
      return new Interpreter(orig);
    }

    @Override
    public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig config) {
      return new Interpreter(application, context, config);
    }
  }

  private static final class Interpreter extends JinjavaInterpreter {
    Interpreter(JinjavaInterpreter orig) {
      super(orig);
    }

    Interpreter(Jinjava application, Context context, JinjavaConfig config) {
      super(application, context, config);
    }

    @Override
    public String getAsString(Object value) {
      return PythonStr.str(value);
    }
  }

  private static LinkedHashMap<String, Object> signature() {
    LinkedHashMap<String, Object> sig = new LinkedHashMap<>();
    sig.put("task_ids", null);
    sig.put("dag_id", null);
    sig.put("key", XComQuery.RETURN_VALUE);
    sig.put("include_prior_dates", false);
    sig.put("map_indexes", null);
    sig.put("default", null);
    return sig;
  }
}
