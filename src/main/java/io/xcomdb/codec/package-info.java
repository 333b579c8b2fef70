/**
 * The XCom value codec: reads and writes every form Airflow stores in {@code xcom.value}, without a database
 * and without Python.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link io.xcomdb.codec.XComCodec}: {@code decode(byte[])} for the 2.x BYTEA/LONGBLOB column and
 *       {@code _xcom_archive}, {@code decodeJson(String)} for the 3.x JSON/JSONB column,
 *       {@code decode(byte[], StoredForm, DecodeOptions)} to force a form; {@code encodeAirflow2},
 *       {@code encodeAirflow3} (3.1+), {@code encodeAirflow30}, {@code encodePickle}, {@code encode(value, StoredForm)}.</li>
 *   <li>{@link io.xcomdb.codec.CanonicalJson}: the canonical view, {@code write} and {@code read}.</li>
 *   <li>{@link io.xcomdb.codec.XComValues}: conversion to the caller's own types.</li>
 * </ul>
 * A CLI {@code decode} is {@code CanonicalJson.writePretty(XComCodec.decode(bytes, form, options).value())};
 * {@code encode} is {@code XComCodec.encode(CanonicalJson.read(stdin), form)}.
 *
 * <h2>Value model</h2>
 * Decoded values use plain Java types where the mapping is unambiguous and small records elsewhere.
 * Encoders accept the same types plus the Java conveniences in the third column.
 * <table>
 *   <caption>Python type, Java type, also accepted when encoding</caption>
 *   <tr><th>Python</th><th>Java (decoded)</th><th>also accepted by encoders</th></tr>
 *   <tr><td>None</td><td>{@code null}</td><td></td></tr>
 *   <tr><td>bool</td><td>{@link java.lang.Boolean}</td><td></td></tr>
 *   <tr><td>int</td><td>{@link java.lang.Long}, {@link java.math.BigInteger} beyond 64 bits</td>
 *       <td>Integer, Short, Byte, any BigInteger</td></tr>
 *   <tr><td>float</td><td>{@link java.lang.Double}</td><td>Float</td></tr>
 *   <tr><td>str</td><td>{@link java.lang.String} (lone surrogates kept)</td><td>Character</td></tr>
 *   <tr><td>bytes / bytearray</td><td>{@link io.xcomdb.codec.PyBytes} / {@link io.xcomdb.codec.PyByteArray}</td>
 *       <td>{@code byte[]} (as bytes)</td></tr>
 *   <tr><td>list</td><td>{@link java.util.List} ({@link java.util.ArrayList})</td><td>any List</td></tr>
 *   <tr><td>tuple</td><td>{@link io.xcomdb.codec.PyTuple}</td><td></td></tr>
 *   <tr><td>set / frozenset</td><td>{@link io.xcomdb.codec.PySet} / {@link io.xcomdb.codec.PyFrozenSet}
 *       (iteration order kept)</td><td>any {@link java.util.Set} (as set)</td></tr>
 *   <tr><td>dict with str keys</td><td>{@code Map<String, Object>}: mutable, insertion order, no {@code null}
 *       key (an array-backed map of the codec's own; not a {@link java.util.LinkedHashMap})</td><td>any Map</td></tr>
 *   <tr><td>dict with other keys</td><td>{@link io.xcomdb.codec.PyDict}</td><td>Map with non-String keys</td></tr>
 *   <tr><td>datetime.datetime, pendulum DateTime</td><td>{@link io.xcomdb.codec.PyDateTime} (wall time, offset
 *       iff aware, zone name, tz class)</td><td>LocalDateTime (naive), OffsetDateTime, ZonedDateTime, Instant</td></tr>
 *   <tr><td>datetime.date</td><td>{@link java.time.LocalDate}</td><td></td></tr>
 *   <tr><td>datetime.timedelta</td><td>{@link io.xcomdb.codec.PyTimedelta}</td><td>Duration</td></tr>
 *   <tr><td>decimal.Decimal</td><td>{@link java.math.BigDecimal}; NaN, Infinity and -0 are a
 *       {@link io.xcomdb.codec.PyObject} {@code decimal.Decimal(str)}</td><td></td></tr>
 *   <tr><td>numpy scalar</td><td>{@link io.xcomdb.codec.NumpyScalar}</td><td></td></tr>
 *   <tr><td>numpy.ndarray (pickle)</td><td>{@link io.xcomdb.codec.NumpyArray}</td><td></td></tr>
 *   <tr><td>pandas.DataFrame (serde)</td><td>{@link io.xcomdb.codec.PandasDataFrame} (the Parquet file; rows on
 *       demand with {@link io.xcomdb.codec.PandasDataFrame#table()}, see {@link io.xcomdb.codec.DataFrameTable})</td>
 *       <td></td></tr>
 *   <tr><td>dataclass, attrs, pydantic, own {@code serialize()}, provider types (serde envelope)</td>
 *       <td>{@link io.xcomdb.codec.SerdeObject} (class, version, decoded data)</td><td></td></tr>
 *   <tr><td>any other pickled instance</td><td>{@link io.xcomdb.codec.PyObject} (class, args, state, ...;
 *       never imported)</td><td></td></tr>
 *   <tr><td>a class or function itself (pickle)</td><td>{@link io.xcomdb.codec.PyGlobal}</td><td></td></tr>
 *   <tr><td>(could not decode)</td><td>{@link io.xcomdb.codec.Undecodable} (raw bytes, form, reason)</td><td></td></tr>
 * </table>
 * Containers may share elements and (from pickles) contain themselves; records wrap their lists without
 * copying, so {@code equals}/{@code hashCode} on a self-containing value recurse forever, like Java's own
 * collections.
 *
 * <h2>Canonical view</h2>
 * Plain JSON for null, bool, str, ints within int64, lists and str-keyed dicts (insertion order). Tags:
 * <pre>
 * {"$int": "123456789012345678901234567890"}         int beyond int64
 * {"$float": "1.5"}   {"$float": "NaN"|"Infinity"|"-Infinity"}   every float, Python repr
 * {"$bytes": base64}  {"$bytearray": base64}
 * {"$tuple": [...]}   {"$set": [...]}   {"$frozenset": [...]}
 * {"$dict": [[key, value], ...]}                   a key is not a str, or a str key starts with "$"
 * {"$datetime": "2024-01-02T03:04:05.123456+01:00", "zone": "Europe/Berlin",
 *  "tzclass": "zoneinfo.ZoneInfo", "class": "pendulum.datetime.DateTime"}
 *     Python isoformat (offset iff aware); zone when named; tzclass when not the default
 *     (pendulum Timezone with a zone, pendulum FixedTimezone without); class when not datetime.datetime
 * {"$date": "2024-02-29"}
 * {"$timedelta": {"days": -1, "seconds": 86399, "microseconds": 999999}}   Python-normalised
 * {"$decimal": "1.50"}                               str(Decimal)
 * {"$numpy": {"dtype": "int64", "value": 5}}
 * {"$ndarray": {"dtype": "float64", "shape": [2, 2], "fortran_order": true, "values": [...]}}
 *     values flat, in storage order
 * {"$dataframe": {"size": 1234, "parquet": base64}}
 *     with rows ({@link io.xcomdb.codec.CanonicalJson#writeWithDataFrameRows}, CLI --dataframe-rows) also
 *     "columns": [{"name": "a", "type": "int64"}, {"name": null, "field": "__index_level_0__", "type": "int64",
 *     "index": true}], "range_index": {"name", "start", "stop", "step"} (pandas RangeIndex, metadata only) and
 *     "rows": [[1, 10], ...] aligned with the columns; timestamps there keep nanoseconds as
 *     {"$timestamp": "2024-01-02T03:04:05.123456789+00:00", "zone": "UTC"} (no zone when naive), times as
 *     {"$time": "10:00:00"}; a frame whose rows cannot be read has "rows_error": "why" instead. Output only:
 *     the reader takes the frame from "parquet".
 * {"$object": {"class": "mod.Cls", "args": [...], "state": ...}}   pickled instance; optional
 *     "kwargs", "listitems", "dictitems"
 * {"$object": {"class": "mod.Cls", "version": 1, "data": ...}}     serde envelope
 * {"$global": "module.name"}
 * {"$undecodable": {"form": "PICKLE", "reason": "...", "base64": "..."}}
 * {"$id": 1, "$list": [1, {"$ref": 1}]}             a container inside itself ($list, $dict, $tuple, ...)
 * </pre>
 * The writer is compact ({@code ,}/{@code :}, UTF-8, only JSON's required escapes plus lone surrogates).
 * The reader also accepts plain JSON floats ({@code 1.5}) and a {@code $datetime} without offset but with a
 * zone (the zone's offset at that wall time).
 *
 * <h2>Safety</h2>
 * Pickles are refused unless {@link io.xcomdb.codec.DecodeOptions#withAllowPickle} is set, and even then
 * xcomdb's own opcode interpreter builds only data types and inert records: nothing is imported or executed.
 * Input size, nesting depth and the expanded size of shared references are bounded. Airflow's
 * {@code allowed_deserialization_classes} is reported in {@link io.xcomdb.codec.Decoded#notAllowedClasses()}
 * (serde envelopes only), never enforced.
 */
package io.xcomdb.codec;
