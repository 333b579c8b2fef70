package io.xcomdb.codec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Airflow's {@code allowed_deserialization_classes} (fnmatch globs) and {@code ..._regexp} (regex matched at
 * the start), plus the classes registered by Airflow's own deserializers, which are always allowed.
 * xcomdb never imports classes, so it only reports which classes Airflow would refuse.
 */
public final class AllowList {
    /** Classes Airflow's built-in serializers register (serde {@code _extra_allowed}), 2.10 to 3.x. */
    public static final Set<String> BUILTIN = Set.of(
            "builtins.tuple", "builtins.set", "builtins.frozenset", "decimal.Decimal",
            "datetime.date", "datetime.datetime", "datetime.timedelta", "pendulum.datetime.DateTime",
            "pendulum.tz.timezone.FixedTimezone", "pendulum.tz.timezone.Timezone", "zoneinfo.ZoneInfo",
            "numpy.int8", "numpy.int16", "numpy.int32", "numpy.int64", "numpy.uint8", "numpy.uint16",
            "numpy.uint32", "numpy.uint64", "numpy.bool_", "numpy.bool", "numpy.float16", "numpy.float32",
            "numpy.float64", "numpy.complex64", "numpy.complex128", "pandas.core.frame.DataFrame", "pandas.DataFrame",
            "kubernetes.client.models.v1_pod.V1Pod", "deltalake.table.DeltaTable", "pyiceberg.table.Table",
            "pydantic.main.BaseModel", "uuid.UUID", "pendulum.date.Date");

    private final List<Pattern> globs;
    private final List<Pattern> regexps;

    /** Compiled globs and regexps by their text: every decode builds an AllowList from the same options. */
    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> REGEXPS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 1024;

    public AllowList(List<String> globs, List<String> regexps) {
        this.globs = compiled(globs, GLOBS, AllowList::fnmatch);
        this.regexps = compiled(regexps, REGEXPS, Pattern::compile);
    }

    private static List<Pattern> compiled(List<String> texts, Map<String, Pattern> cache,
                                          Function<String, Pattern> compile) {
        List<Pattern> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            Pattern p = cache.get(t);
            if (p == null) {
                p = compile.apply(t); // a bad regexp throws here, every time, as before
                if (cache.size() < MAX_CACHED) {
                    cache.put(t, p);
                }
            }
            out.add(p);
        }
        return out;
    }

    /** Whether Airflow's {@code serde.deserialize} would let this class through. */
    public boolean allows(String className) {
        if (BUILTIN.contains(className)) {
            return true;
        }
        for (Pattern p : globs) {
            if (p.matcher(className).matches()) {
                return true;
            }
        }
        for (Pattern p : regexps) {
            if (p.matcher(className).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}. */
    static Pattern fnmatch(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String stuff = glob.substring(i, j).replace("\\", "\\\\");
                    i = j + 1;
                    if (stuff.startsWith("!")) {
                        stuff = "^" + stuff.substring(1);
                    } else if (stuff.startsWith("^")) {
                        stuff = "\\" + stuff;
                    }
                    re.append('[').append(stuff).append(']');
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
