package io.xcomdb.codec;

import io.xcomdb.codec.internal.AllowList;
import io.xcomdb.codec.internal.DeepStack;
import io.xcomdb.codec.internal.JsonReader;
import io.xcomdb.codec.internal.LenientJson;
import io.xcomdb.codec.internal.ObjectStorage;
import io.xcomdb.codec.internal.PickleWriter;
import io.xcomdb.codec.internal.SafeUnpickler;
import io.xcomdb.codec.internal.SerdeDecoder;
import io.xcomdb.codec.internal.SerdeEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes {@code xcom.value} in every form Airflow stores. All methods are static and thread-safe.
 *
 * <p>Decoding never throws on bad data: failures come back as an {@link Undecodable} value. Encoding writes
 * exactly what Airflow would and throws {@link XComEncodingException} with Airflow's own error where Airflow
 * refuses a value.
 */
public final class XComCodec {
    private XComCodec() {
    }

    /**
     * Internal switch back to the Jackson-based JSON parsing ({@link LenientJson}) that {@link JsonReader}
     * replaced: {@code -Dxcomdb.codec.jacksonJson=true}. Both give the same results (a differential test holds
     * them equal); the switch is there to compare them.
     */
    private static final boolean JACKSON_JSON = Boolean.getBoolean("xcomdb.codec.jacksonJson");

    /** Decodes a 2.x BYTEA/LONGBLOB value (or an {@code _xcom_archive} pickle) with default options. */
    public static Decoded decode(byte[] raw) {
        return decode(raw, DecodeOptions.defaults());
    }

    /**
     * Decodes bytes, detecting the form per value: {@code 0x80} first is a protocol 2+ pickle (the test
     * Airflow's own 3.0 migration uses); anything else is read as JSON, and if that fails and the bytes end in
     * a pickle {@code STOP}, as a protocol 0/1 pickle. {@code null} is SQL NULL.
     */
    public static Decoded decode(byte[] raw, DecodeOptions options) {
        return DeepStack.run(() -> detectAndDecode(raw, options, JACKSON_JSON));
    }

    /** {@link #decode(byte[], DecodeOptions)} with the Jackson-based JSON parsing or the reader that replaced it. */
    static Decoded decode(byte[] raw, DecodeOptions options, boolean jackson) {
        return DeepStack.run(() -> detectAndDecode(raw, options, jackson));
    }

    private static Decoded detectAndDecode(byte[] raw, DecodeOptions options, boolean jackson) {
        if (raw == null) {
            return Decoded.of(null, StoredForm.SQL_NULL);
        }
        if (raw.length > options.maxBytes()) {
            StoredForm form = raw.length > 0 && raw[0] == (byte) 0x80 ? StoredForm.PICKLE : StoredForm.AIRFLOW2_JSON_BYTES;
            return undecodable(raw, form, "value is " + raw.length + " bytes, more than maxBytes " + options.maxBytes());
        }
        if (raw.length > 0 && raw[0] == (byte) 0x80) {
            return pickle(raw, options);
        }
        Decoded json = json2(raw, options, jackson);
        if (json.isUndecodable() && raw.length > 1 && raw[raw.length - 1] == '.') {
            return pickle(raw, options); // protocol 0/1 pickles are text ending in STOP ('.')
        }
        return json;
    }

    /** Decodes bytes as the given form, without detection ({@code xcomdb decode --format}). */
    public static Decoded decode(byte[] raw, StoredForm form, DecodeOptions options) {
        return DeepStack.run(() -> decodeAs(raw, form, options, JACKSON_JSON));
    }

    /** {@link #decode(byte[], StoredForm, DecodeOptions)} with the Jackson-based JSON parsing or the new reader. */
    static Decoded decode(byte[] raw, StoredForm form, DecodeOptions options, boolean jackson) {
        return DeepStack.run(() -> decodeAs(raw, form, options, jackson));
    }

    private static Decoded decodeAs(byte[] raw, StoredForm form, DecodeOptions options, boolean jackson) {
        if (raw == null) {
            return Decoded.of(null, StoredForm.SQL_NULL);
        }
        if (raw.length > options.maxBytes()) {
            return undecodable(raw, form, "value is " + raw.length + " bytes, more than maxBytes " + options.maxBytes());
        }
        switch (form) {
            case SQL_NULL:
                return Decoded.of(null, StoredForm.SQL_NULL);
            case PICKLE:
                return pickle(raw, options);
            case AIRFLOW2_JSON_BYTES:
                return json2(raw, options, jackson);
            case AIRFLOW3_JSON:
            case REST_JSON_STRING: {
                String text = utf8(raw);
                if (text == null) {
                    return undecodable(raw, form, "not valid UTF-8");
                }
                return decodeJsonText(text, form == StoredForm.REST_JSON_STRING
                        ? options.withDecodeRestStrings(true) : options, jackson);
            }
            default:
                throw new IllegalArgumentException(form.toString());
        }
    }

    /** Decodes the text of a 3.x JSON/JSONB {@code value} column with default options. */
    public static Decoded decodeJson(String jsonText) {
        return decodeJson(jsonText, DecodeOptions.defaults());
    }

    /**
     * Decodes the text of a 3.x JSON/JSONB column: the serde structure as native JSON, or a JSON string holding
     * JSON text (REST/core-written rows, reported as {@link StoredForm#REST_JSON_STRING}).
     */
    public static Decoded decodeJson(String jsonText, DecodeOptions options) {
        return DeepStack.run(() -> decodeJsonText(jsonText, options, JACKSON_JSON));
    }

    /** {@link #decodeJson(String, DecodeOptions)} with the Jackson-based JSON parsing or the new reader. */
    static Decoded decodeJson(String jsonText, DecodeOptions options, boolean jackson) {
        return DeepStack.run(() -> decodeJsonText(jsonText, options, jackson));
    }

    private static Decoded decodeJsonText(String jsonText, DecodeOptions options, boolean jackson) {
        if (!jackson) {
            try {
                return decodeJsonText(jsonText, options, new Text(options));
            } catch (JsonReader.Fallback e) {
                // input the reader leaves to the Jackson-based parsing
            }
        }
        try {
            return decodeJsonText(jsonText, options, (Text) null);
        } catch (JsonReader.Fallback never) {
            throw new IllegalStateException(never); // only the reader falls back
        }
    }

    /**
     * The 3.x text decoding with {@code reader} doing the JSON (from {@link JsonReader}), or, when it is
     * {@code null}, the Jackson-based {@link LenientJson}.
     */
    private static Decoded decodeJsonText(String jsonText, DecodeOptions options, Text reader)
            throws JsonReader.Fallback {
        if (jsonText == null) {
            return Decoded.of(null, StoredForm.SQL_NULL);
        }
        // a char is at most 3 UTF-8 bytes: only long texts need their exact size
        if (jsonText.length() > options.maxBytes() / 3 && utf8Bytes(jsonText).length > options.maxBytes()) {
            return undecodable(utf8Bytes(jsonText), StoredForm.AIRFLOW3_JSON, "value is "
                    + utf8Bytes(jsonText).length + " bytes, more than maxBytes");
        }
        SerdeDecoder serde = new SerdeDecoder(options.naiveTimeZone());
        Object value;
        try {
            value = reader != null ? reader.parse(jsonText, serde) : parseAndDeserialize(jsonText, null, options, serde);
        } catch (LenientJson.Failure e) {
            return undecodable(utf8Bytes(jsonText), StoredForm.AIRFLOW3_JSON, "invalid JSON: " + e.getMessage());
        }
        // a String with no class met is a JSON string document (no serde envelope decodes to a String)
        if (value instanceof String s && serde.classNames().isEmpty()) {
            SerdeDecoder inner = new SerdeDecoder(options.naiveTimeZone());
            Object decoded = null;
            boolean isJson;
            try {
                if (reader != null) {
                    decoded = reader.parse(s, options.decodeRestStrings() ? inner : null);
                } else {
                    decoded = options.decodeRestStrings() ? parseAndDeserialize(s, null, options, inner)
                            : LenientJson.parse(s, options.maxDepth());
                }
                isJson = true;
            } catch (LenientJson.Failure e) {
                isJson = false;
            }
            if (isJson) {
                if (!options.decodeRestStrings()) {
                    return finish(s, StoredForm.REST_JSON_STRING, new SerdeDecoder(options.naiveTimeZone()), options);
                }
                return finish(decoded, StoredForm.REST_JSON_STRING, inner, options);
            }
        }
        return finish(value, StoredForm.AIRFLOW3_JSON, serde, options);
    }

    /** The JSON of 3.x text by {@link JsonReader}, as {@link #parseAndDeserialize} does it with Jackson. */
    private record Text(DecodeOptions options) {
        Object parse(String text, SerdeDecoder serde) throws LenientJson.Failure, JsonReader.Fallback {
            try {
                return JsonReader.parseText(text, options.maxDepth(), serde);
            } catch (LenientJson.Restart e) {
                serde.clear();
                try {
                    return serde.deserialize(JsonReader.parseText(text, options.maxDepth(), null));
                } catch (LenientJson.Restart never) {
                    throw new IllegalStateException(never); // a plain parse never restarts
                }
            }
        }
    }

    /**
     * {@code serde.deserialize(LenientJson.parse(text))} of a text, or of bytes {@link LenientJson#isPlainAscii}
     * accepted: in one pass, unless the value has a dict with serde keys after other keys.
     */
    private static Object parseAndDeserialize(String text, byte[] ascii, DecodeOptions options, SerdeDecoder serde)
            throws LenientJson.Failure {
        try {
            return ascii != null ? LenientJson.parseAscii(ascii, options.maxDepth(), serde)
                    : LenientJson.parse(text, options.maxDepth(), serde);
        } catch (LenientJson.Restart e) {
            serde.clear();
            String t = text != null ? text : new String(ascii, StandardCharsets.US_ASCII);
            return serde.deserialize(LenientJson.parse(t, options.maxDepth()));
        }
    }

    /**
     * Decodes a canonical JSON value ({@link CanonicalJson}) as if it had been stored: the input of
     * {@code xcomdb encode}.
     */
    public static Object fromCanonical(String canonicalJson) {
        return CanonicalJson.read(canonicalJson);
    }

    /** {@code json.dumps(value, cls=XComEncoder).encode("UTF-8")}: Airflow 2.x's BYTEA/LONGBLOB content. */
    public static byte[] encodeAirflow2(Object value) {
        return encodeAirflow2Text(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The same as {@link #encodeAirflow2} as text (always ASCII). */
    public static String encodeAirflow2Text(Object value) {
        return DeepStack.run(() -> new SerdeEncoder(SerdeEncoder.Rules.AIRFLOW_2, DecodeOptions.defaults().naiveTimeZone()).encode(value));
    }

    /**
     * {@code json.dumps(serde.serialize(value))}: the JSON text Airflow 3.1+ stores in the {@code value} column
     * (bind it as JSON/JSONB). Refuses NaN/Infinity and ints outside msgpack's range, as Airflow's transport does.
     */
    public static String encodeAirflow3(Object value) {
        return DeepStack.run(() -> new SerdeEncoder(SerdeEncoder.Rules.AIRFLOW_3_1, DecodeOptions.defaults().naiveTimeZone())
                .encode(value));
    }

    /**
     * The JSON text Airflow 3.0 stores for {@code value}. It differs from {@link #encodeAirflow3} where 3.0's serde
     * did: numpy.float64 is written as a plain float, a false numpy.bool_ is refused (3.0 writes every one as true),
     * and ints of any size pass (3.0's task comms are JSON lines, not msgpack).
     */
    public static String encodeAirflow30(Object value) {
        return DeepStack.run(() -> new SerdeEncoder(SerdeEncoder.Rules.AIRFLOW_3_0, DecodeOptions.defaults().naiveTimeZone())
                .encode(value));
    }

    /** {@code pickle.dumps(value, protocol=4)}, for 2.x with {@code enable_xcom_pickling} only. */
    public static byte[] encodePickle(Object value) {
        return DeepStack.run(() -> PickleWriter.dumps(value));
    }

    /** Encodes for a stored form: 2.x JSON bytes, 3.x JSON text as UTF-8, a REST-style string, or a pickle. */
    public static byte[] encode(Object value, StoredForm form) {
        return switch (form) {
            case AIRFLOW2_JSON_BYTES -> encodeAirflow2(value);
            case AIRFLOW3_JSON -> encodeAirflow3(value).getBytes(StandardCharsets.UTF_8);
            case REST_JSON_STRING -> new SerdeEncoder(SerdeEncoder.Rules.AIRFLOW_3_1, DecodeOptions.defaults().naiveTimeZone())
                    .encode(encodeAirflow2Text(value)).getBytes(StandardCharsets.UTF_8);
            case PICKLE -> encodePickle(value);
            case SQL_NULL -> throw new IllegalArgumentException("SQL NULL is not an encoding");
        };
    }

    private static Decoded json2(byte[] raw, DecodeOptions options, boolean jackson) {
        if (jackson) {
            return json2Jackson(raw, options);
        }
        SerdeDecoder serde = new SerdeDecoder(options.naiveTimeZone(), true);
        Object value;
        try {
            try {
                value = JsonReader.parse(raw, options.maxDepth(), serde);
            } catch (LenientJson.Restart e) {
                serde.clear();
                value = serde.deserialize(JsonReader.parse(raw, options.maxDepth(), null));
            }
        } catch (LenientJson.Failure e) {
            // the reader checks UTF-8 only inside strings, and stops at the first error: say which one Python meets
            if (!LenientJson.isPlainAscii(raw) && utf8(raw) == null) {
                return undecodable(raw, StoredForm.AIRFLOW2_JSON_BYTES, "UnicodeDecodeError: not valid UTF-8");
            }
            return undecodable(raw, StoredForm.AIRFLOW2_JSON_BYTES, "invalid JSON: " + e.getMessage());
        } catch (LenientJson.Restart never) {
            throw new IllegalStateException(never); // a plain parse never restarts
        } catch (JsonReader.Fallback e) {
            return json2Jackson(raw, options);
        }
        return finish(value, StoredForm.AIRFLOW2_JSON_BYTES, serde, options);
    }

    private static Decoded json2Jackson(byte[] raw, DecodeOptions options) {
        String text = null;
        if (!LenientJson.isPlainAscii(raw)) { // ASCII (what json.dumps writes) needs no decoding
            text = utf8(raw);
            if (text == null) {
                return undecodable(raw, StoredForm.AIRFLOW2_JSON_BYTES, "UnicodeDecodeError: not valid UTF-8");
            }
        }
        SerdeDecoder serde = new SerdeDecoder(options.naiveTimeZone(), true);
        Object value;
        try {
            value = parseAndDeserialize(text, text == null ? raw : null, options, serde);
        } catch (LenientJson.Failure e) {
            return undecodable(raw, StoredForm.AIRFLOW2_JSON_BYTES, "invalid JSON: " + e.getMessage());
        }
        return finish(value, StoredForm.AIRFLOW2_JSON_BYTES, serde, options);
    }

    private static Decoded pickle(byte[] raw, DecodeOptions options) {
        if (!options.allowPickle()) {
            return undecodable(raw, StoredForm.PICKLE,
                    "pickle decoding is disabled (enable it with DecodeOptions.withAllowPickle(true))");
        }
        SafeUnpickler.Result r = SafeUnpickler.load(raw, options);
        if (r.failure() != null) {
            return undecodable(raw, StoredForm.PICKLE, r.failure());
        }
        // Airflow's allow-list guards serde only; pickle.loads imports whatever the pickle names
        return new Decoded(r.value(), StoredForm.PICKLE, r.warnings(), r.classNames(), Set.of(),
                ObjectStorage.reference(r.value(), options.objectStorageBasePath()));
    }

    private static Decoded finish(Object value, StoredForm form, SerdeDecoder serde, DecodeOptions options) {
        List<String> warnings = serde.warnings().isEmpty() ? List.of() : serde.warnings(); // Decoded keeps List.of()
        return new Decoded(value, form, warnings, serde.classNames(), notAllowed(serde.classNames(), options),
                ObjectStorage.reference(value, options.objectStorageBasePath()));
    }

    private static Set<String> notAllowed(Set<String> classNames, DecodeOptions options) {
        if (AllowList.BUILTIN.containsAll(classNames)) {
            return Set.of(); // always allowed, whatever the options say (and no patterns to look up)
        }
        AllowList allow = new AllowList(options.allowedClasses(), options.allowedClassesRegexp());
        Set<String> out = new LinkedHashSet<>();
        for (String c : classNames) {
            if (!allow.allows(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static Decoded undecodable(byte[] raw, StoredForm form, String reason) {
        return new Decoded(new Undecodable(raw, form, reason), form, List.of(), Set.of(), Set.of(), Optional.empty());
    }

    private static byte[] utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
