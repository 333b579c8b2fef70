package io.xcomdb.cleanup;

import io.xcomdb.codec.internal.StorageUrl;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.XComCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Finds the objects stored values reference under one base URL, as the common-io XCom backend writes them: a JSON
 * string {@code "s3://conn@bucket/xcom/dag/run/task/uuid"} (Airflow 2: those bytes, quotes included; Airflow 3: a JSON
 * string), or with {@code allowPickle} Airflow 2's pickle of that string. A cheap SQL filter picks the values that can
 * be one (short, and starting with the quote and scheme or a pickle's first byte); the codec then decides exactly,
 * as the backend's {@code _get_full_path} does (a URL with a scheme, lying under the base; connection ids ignored).
 */
final class ObjectReferences {

  /** Longest stored value read as a possible reference: Airflow's ids are 250 characters each at most. */
  static final int MAX_REFERENCE_BYTES = 4096;

  private final StorageUrl base;
  private final String baseUrl;
  private final DecodeOptions decode;
  private final boolean allowPickle;
  private final SQLDialect dialect;

  ObjectReferences(String baseUrl, boolean allowPickle, SQLDialect dialect) {
    this.baseUrl = baseUrl;
    this.base = StorageUrl.parse(baseUrl).orElseThrow(() -> new IllegalArgumentException("not a URL: " + baseUrl));
    this.decode = DecodeOptions.defaults().withObjectStorageBasePath(baseUrl).withAllowPickle(allowPickle);
    this.allowPickle = allowPickle;
    this.dialect = dialect;
  }

  StorageUrl base() {
    return base;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Values that may be a reference under the base; everything it lets through is then decoded. */
  Condition candidates(Field<?> value, boolean binary) {
    String prefix = "\"" + base.scheme() + "://";
    boolean postgres = dialect.family() == SQLDialect.POSTGRES;
    var max = DSL.inline(MAX_REFERENCE_BYTES);
    var n = DSL.inline(prefix.length());
    if (binary) {
      var bytes = DSL.val(prefix.getBytes(StandardCharsets.UTF_8), SQLDataType.VARBINARY);
      var pickle = DSL.val(new byte[] {(byte) 0x80}, SQLDataType.VARBINARY);
      if (postgres) { // pg_column_size reads the stored size without detoasting the value
        return DSL.condition("case when pg_column_size({0}) <= {1} then (substring({0} from 1 for {2}) = {3}"
            + (allowPickle ? " or substring({0} from 1 for 1) = {4}" : "") + ") else false end", value, max, n, bytes, pickle);
      }
      return DSL.condition("(length({0}) <= {1} and (left({0}, {2}) = {3}" + (allowPickle ? " or left({0}, 1) = {4}" : "")
          + "))", value, max, n, bytes, pickle);
    }
    if (postgres) {
      return DSL.condition("case when pg_column_size({0}) <= {1} then left({0}::text, {2}) = {3} else false end", value, max,
          n, DSL.inline(prefix));
    }
    return DSL.condition("(json_type({0}) = 'STRING' and json_unquote({0}) like {1})", value,
        DSL.inline(base.scheme() + "://%"));
  }

  /** The key below the base of the object {@code stored} (a value as the column returns it) references, if any. */
  Optional<String> key(Object stored) {
    if (stored == null) {
      return Optional.empty();
    }
    Decoded d = stored instanceof byte[] b ? XComCodec.decode(b, decode) : XComCodec.decodeJson(stored.toString(), decode);
    return d.objectStorageReference().flatMap(StorageUrl::parse).flatMap(base::relativize);
  }
}
