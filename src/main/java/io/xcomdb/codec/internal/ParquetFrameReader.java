package io.xcomdb.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.codec.DataFrameColumn;
import io.xcomdb.codec.DataFrameReadException;
import io.xcomdb.codec.DataFrameTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.Float16LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the Parquet file of a pandas DataFrame (as pyarrow writes it) into a {@link DataFrameTable} with
 * parquet-floor (parquet-mr without Hadoop). Only loaded when that library is present (see
 * {@link ParquetFrames}). Every failure becomes a {@link DataFrameReadException} saying what was wrong.
 */
final class ParquetFrameReader {
    /** What parquet-floor decompresses; its Hadoop stub lacks what GZIP needs. */
    private static final Set<CompressionCodecName> READABLE = EnumSet.of(CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW);
    /** Bounds for hostile or huge files: total uncompressed column data and cells held as Java objects. */
    private static final long MAX_UNCOMPRESSED_BYTES = 1L << 30;
    private static final long MAX_CELLS = 50_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ParquetFrameReader() {
    }

    static DataFrameTable read(byte[] parquet, boolean withRows) {
        try (ParquetFileReader reader = ParquetFileReader.open(new BytesInputFile(parquet),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            FileMetaData meta = reader.getFooter().getFileMetaData();
            MessageType schema = meta.getSchema();
            Map<String, String> keyValues = meta.getKeyValueMetaData();
            PandasMeta pandas = PandasMeta.parse(keyValues == null ? null : keyValues.get("pandas"));
            List<Field> fields = new ArrayList<>();
            for (Type t : schema.getFields()) {
                fields.add(new Field(column(t, pandas), field(t)));
            }
            List<DataFrameColumn> columns = fields.stream().map(Field::column).toList();
            if (!withRows) {
                return new DataFrameTable(columns, List.of(), pandas.rangeIndex);
            }
            checkReadable(reader.getFooter().getBlocks(), columns.size());
            List<List<Object>> rows = new ArrayList<>();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0, n = pages.getRowCount(); r < n; r++) {
                    Group g = records.read();
                    List<Object> row = new ArrayList<>(fields.size());
                    for (int i = 0; i < fields.size(); i++) {
                        row.add(fields.get(i).cell().get(g, i));
                    }
                    rows.add(row);
                }
            }
            return new DataFrameTable(columns, rows, pandas.rangeIndex);
        } catch (DataFrameReadException e) {
            throw e;
        } catch (IOException | UncheckedIOException e) {
            throw unreadable(e);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // parquet-mr reports malformed files with assorted runtime exceptions (and a codec it cannot load
            // with a linkage error); all of them mean "this file cannot be read here"
            throw unreadable(e);
        } catch (OutOfMemoryError e) {
            // a lying page header asks for one huge buffer; that allocation failed, nothing else was taken
            throw new DataFrameReadException("the DataFrame's Parquet file needs more memory than is available"
                    + " (a page claims to be too large): " + e.getMessage(), e);
        }
    }

    private static DataFrameReadException unreadable(Throwable e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
        return new DataFrameReadException("the DataFrame's bytes are not a Parquet file this reader can read ("
                + what + ")", e);
    }

    private static void checkReadable(List<BlockMetaData> blocks, int columnCount) {
        long bytes = 0;
        long rowCount = 0;
        for (BlockMetaData b : blocks) {
            for (ColumnChunkMetaData c : b.getColumns()) {
                if (!READABLE.contains(c.getCodec())) {
                    throw new DataFrameReadException("the DataFrame's Parquet file is compressed with " + c.getCodec()
                            + ", which " + ParquetFrames.ARTIFACT + " cannot decompress (it reads SNAPPY, what Airflow writes,"
                            + " ZSTD, LZ4_RAW and uncompressed files); read PandasDataFrame.parquet() with a full"
                            + " Parquet library instead");
                }
            }
            bytes += Math.max(0, b.getTotalByteSize());
            rowCount += Math.max(0, b.getRowCount());
        }
        if (bytes > MAX_UNCOMPRESSED_BYTES || rowCount * Math.max(1, columnCount) > MAX_CELLS) {
            throw new DataFrameReadException("the DataFrame is too large to read into rows here (" + rowCount
                    + " rows x " + columnCount + " columns, " + bytes + " bytes uncompressed; limits: " + MAX_CELLS
                    + " cells, " + MAX_UNCOMPRESSED_BYTES + " bytes); read PandasDataFrame.parquet() with a Parquet"
                    + " library instead");
        }
    }

    // ---- columns ----

    private record Field(DataFrameColumn column, FieldCell cell) {
    }

    private static DataFrameColumn column(Type t, PandasMeta pandas) {
        JsonNode meta = pandas.columns.get(t.getName());
        String name = t.getName();
        String pandasType = null;
        String zone = null;
        if (meta != null) {
            JsonNode n = meta.get("name");
            name = n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
            pandasType = text(meta.get("pandas_type"));
            JsonNode m = meta.get("metadata");
            zone = m == null ? null : text(m.get("timezone"));
        }
        boolean adjusted = t.isPrimitive() && t.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation ts
                && ts.isAdjustedToUTC();
        if (adjusted && zone == null) {
            zone = "UTC";
        }
        if (!adjusted) {
            zone = null;
        }
        return new DataFrameColumn(name, t.getName(), typeName(t, zone), pandasType, pandas.index.contains(t.getName()),
                zone);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The Arrow type as pyarrow prints it. */
    private static String typeName(Type t, String zone) {
        if (t.isRepetition(Type.Repetition.REPEATED)) {
            return "list<element: " + baseTypeName(t, zone) + ">";
        }
        return baseTypeName(t, zone);
    }

    private static String baseTypeName(Type t, String zone) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        if (!t.isPrimitive()) {
            GroupType g = t.asGroupType();
            if (a instanceof ListLogicalTypeAnnotation && g.getFieldCount() == 1) {
                Type rep = g.getType(0);
                Type element = threeLevel(g) ? rep.asGroupType().getType(0) : rep;
                return "list<element: " + baseTypeName(element, null) + ">";
            }
            if (isMap(g)) {
                GroupType kv = g.getType(0).asGroupType();
                return "map<" + baseTypeName(kv.getType(0), null) + ", "
                        + (kv.getFieldCount() > 1 ? baseTypeName(kv.getType(1), null) : "null") + ">";
            }
            List<String> parts = new ArrayList<>();
            for (Type f : g.getFields()) {
                parts.add(f.getName() + ": " + typeName(f, null));
            }
            return "struct<" + String.join(", ", parts) + ">";
        }
        PrimitiveType p = t.asPrimitiveType();
        if (a instanceof TimestampLogicalTypeAnnotation ts) {
            return "timestamp[" + unit(ts.getUnit()) + (ts.isAdjustedToUTC() ? ", tz=" + (zone == null ? "UTC" : zone) : "")
                    + "]";
        }
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            return (d.getPrecision() <= 38 ? "decimal128(" : "decimal256(") + d.getPrecision() + ", " + d.getScale() + ")";
        }
        if (a instanceof DateLogicalTypeAnnotation) {
            return "date32[day]";
        }
        if (a instanceof TimeLogicalTypeAnnotation tm) {
            return (tm.getUnit() == TimeUnit.MILLIS ? "time32[" : "time64[") + unit(tm.getUnit()) + "]";
        }
        if (a instanceof IntLogicalTypeAnnotation i) {
            return (i.isSigned() ? "int" : "uint") + i.getBitWidth();
        }
        if (a instanceof StringLogicalTypeAnnotation || a instanceof EnumLogicalTypeAnnotation) {
            return "string";
        }
        if (a instanceof JsonLogicalTypeAnnotation) {
            return "json";
        }
        if (a instanceof UUIDLogicalTypeAnnotation) {
            return "uuid";
        }
        if (a instanceof Float16LogicalTypeAnnotation) {
            return "halffloat";
        }
        return switch (p.getPrimitiveTypeName()) {
            case INT64 -> "int64";
            case INT32 -> "int32";
            case BOOLEAN -> "bool";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case INT96 -> "timestamp[ns]";
            case BINARY -> "binary";
            case FIXED_LEN_BYTE_ARRAY -> "fixed_size_binary[" + p.getTypeLength() + "]";
        };
    }

    private static String unit(TimeUnit u) {
        return switch (u) {
            case MILLIS -> "ms";
            case MICROS -> "us";
            case NANOS -> "ns";
        };
    }

    // ---- values ----

    /** Reads field {@code i} of a record: null when absent, a list when the field repeats. */
    private interface FieldCell {
        Object get(Group g, int i);
    }

    /** Reads repetition {@code r} of field {@code i}, which is present. */
    private interface Cell {
        Object get(Group g, int i, int r);
    }

    private static FieldCell field(Type t) {
        Cell c = cell(t);
        if (t.isRepetition(Type.Repetition.REPEATED)) {
            return (g, i) -> {
                int n = g.getFieldRepetitionCount(i);
                List<Object> out = new ArrayList<>(n);
                for (int r = 0; r < n; r++) {
                    out.add(c.get(g, i, r));
                }
                return out;
            };
        }
        return (g, i) -> g.getFieldRepetitionCount(i) == 0 ? null : c.get(g, i, 0);
    }

    private static boolean threeLevel(GroupType list) {
        Type rep = list.getType(0);
        // the legacy two-level forms: a repeated primitive, or a repeated group that is itself the element
        return !rep.isPrimitive() && rep.asGroupType().getFieldCount() == 1 && !rep.getName().equals("array")
                && !rep.getName().equals(list.getName() + "_tuple");
    }

    private static boolean isMap(GroupType g) {
        LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
        return (a instanceof MapLogicalTypeAnnotation || a instanceof MapKeyValueTypeAnnotation)
                && g.getFieldCount() == 1 && !g.getType(0).isPrimitive()
                && g.getType(0).isRepetition(Type.Repetition.REPEATED);
    }

    private static Cell cell(Type t) {
        if (t.isPrimitive()) {
            return primitive(t.asPrimitiveType());
        }
        GroupType g = t.asGroupType();
        if (g.getLogicalTypeAnnotation() instanceof ListLogicalTypeAnnotation && g.getFieldCount() == 1
                && g.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            boolean three = threeLevel(g);
            FieldCell element = three ? field(g.getType(0).asGroupType().getType(0)) : null;
            Cell item = three ? null : cell(g.getType(0));
            return (parent, i, r) -> {
                Group list = parent.getGroup(i, r);
                int n = list.getFieldRepetitionCount(0);
                List<Object> out = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    out.add(three ? element.get(list.getGroup(0, k), 0) : item.get(list, 0, k));
                }
                return out;
            };
        }
        if (isMap(g)) {
            GroupType kv = g.getType(0).asGroupType();
            FieldCell key = field(kv.getType(0));
            FieldCell value = kv.getFieldCount() > 1 ? field(kv.getType(1)) : (x, y) -> null;
            return (parent, i, r) -> {
                Group map = parent.getGroup(i, r);
                int n = map.getFieldRepetitionCount(0);
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int k = 0; k < n; k++) {
                    Group entry = map.getGroup(0, k);
                    out.put(key.get(entry, 0), value.get(entry, 1));
                }
                return out;
            };
        }
        List<FieldCell> cells = new ArrayList<>();
        for (Type f : g.getFields()) {
            cells.add(field(f));
        }
        return (parent, i, r) -> {
            Group s = parent.getGroup(i, r);
            Map<String, Object> out = new LinkedHashMap<>();
            for (int k = 0; k < cells.size(); k++) {
                out.put(g.getFieldName(k), cells.get(k).get(s, k));
            }
            return out;
        };
    }

    private static Cell primitive(PrimitiveType p) {
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return Group::getBoolean;
            case FLOAT:
                return (g, i, r) -> (double) g.getFloat(i, r);
            case DOUBLE:
                return Group::getDouble;
            case INT32:
                if (a instanceof DateLogicalTypeAnnotation) {
                    return (g, i, r) -> LocalDate.ofEpochDay(g.getInteger(i, r));
                }
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return (g, i, r) -> BigDecimal.valueOf(g.getInteger(i, r), d.getScale());
                }
                if (a instanceof TimeLogicalTypeAnnotation) {
                    return (g, i, r) -> LocalTime.ofNanoOfDay(g.getInteger(i, r) * 1_000_000L);
                }
                if (a instanceof IntLogicalTypeAnnotation in && !in.isSigned()) {
                    return (g, i, r) -> Integer.toUnsignedLong(g.getInteger(i, r));
                }
                return (g, i, r) -> (long) g.getInteger(i, r);
            case INT64:
                if (a instanceof TimestampLogicalTypeAnnotation ts) {
                    long perSecond = perSecond(ts.getUnit());
                    boolean utc = ts.isAdjustedToUTC();
                    return (g, i, r) -> {
                        long v = g.getLong(i, r);
                        long s = Math.floorDiv(v, perSecond);
                        int nanos = (int) (Math.floorMod(v, perSecond) * (1_000_000_000L / perSecond));
                        return utc ? Instant.ofEpochSecond(s, nanos) : LocalDateTime.ofEpochSecond(s, nanos, ZoneOffset.UTC);
                    };
                }
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return (g, i, r) -> BigDecimal.valueOf(g.getLong(i, r), d.getScale());
                }
                if (a instanceof TimeLogicalTypeAnnotation tm) {
                    long factor = 1_000_000_000L / perSecond(tm.getUnit());
                    return (g, i, r) -> LocalTime.ofNanoOfDay(g.getLong(i, r) * factor);
                }
                if (a instanceof IntLogicalTypeAnnotation in && !in.isSigned()) {
                    return (g, i, r) -> {
                        long v = g.getLong(i, r);
                        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                    };
                }
                return Group::getLong;
            case INT96:
                return (g, i, r) -> int96(g.getInt96(i, r));
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
            default:
                if (a instanceof StringLogicalTypeAnnotation || a instanceof EnumLogicalTypeAnnotation
                        || a instanceof JsonLogicalTypeAnnotation) {
                    return (g, i, r) -> g.getBinary(i, r).toStringUsingUTF8();
                }
                if (a instanceof DecimalLogicalTypeAnnotation d) {
                    return (g, i, r) -> new BigDecimal(new BigInteger(g.getBinary(i, r).getBytes()), d.getScale());
                }
                if (a instanceof UUIDLogicalTypeAnnotation) {
                    return (g, i, r) -> {
                        ByteBuffer b = g.getBinary(i, r).toByteBuffer();
                        return new java.util.UUID(b.getLong(), b.getLong()).toString();
                    };
                }
                if (a instanceof Float16LogicalTypeAnnotation) {
                    return (g, i, r) -> (double) halfToFloat(g.getBinary(i, r).toByteBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN).getShort());
                }
                return (g, i, r) -> g.getBinary(i, r).getBytes();
        }
    }

    private static long perSecond(TimeUnit u) {
        return switch (u) {
            case MILLIS -> 1_000L;
            case MICROS -> 1_000_000L;
            case NANOS -> 1_000_000_000L;
        };
    }

    /** Legacy Impala/Spark timestamps: nanoseconds of the day, then the Julian day (little-endian). */
    private static LocalDateTime int96(Binary b) {
        ByteBuffer buf = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buf.getLong();
        long julianDay = buf.getInt();
        return LocalDateTime.ofEpochSecond((julianDay - 2_440_588L) * 86_400L + Math.floorDiv(nanosOfDay, 1_000_000_000L),
                (int) Math.floorMod(nanosOfDay, 1_000_000_000L), ZoneOffset.UTC);
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    private static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f;
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = (1 + mant / 1024f) * (float) Math.pow(2, exp - 15);
        }
        return sign == 1 ? -v : v;
    }

    // ---- pandas metadata ----

    /** The parts of pyarrow's {@code pandas} key-value entry we use; empty when missing or malformed. */
    private static final class PandasMeta {
        final Map<String, JsonNode> columns = new HashMap<>();
        final Set<String> index = new HashSet<>();
        DataFrameTable.RangeIndex rangeIndex;

        static PandasMeta parse(String text) {
            PandasMeta m = new PandasMeta();
            if (text == null) {
                return m;
            }
            try {
                JsonNode root = JSON.readTree(text);
                for (JsonNode c : root.path("columns")) {
                    String field = text(c.get("field_name"));
                    if (field != null) {
                        m.columns.put(field, c);
                    }
                }
                for (JsonNode ix : root.path("index_columns")) {
                    if (ix.isTextual()) {
                        m.index.add(ix.asText());
                    } else if ("range".equals(text(ix.get("kind"))) && ix.path("start").canConvertToLong()
                            && ix.path("stop").canConvertToLong() && ix.path("step").canConvertToLong()) {
                        m.rangeIndex = new DataFrameTable.RangeIndex(text(ix.get("name")), ix.get("start").asLong(),
                                ix.get("stop").asLong(), ix.get("step").asLong());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // metadata is a convenience; the file still reads without it
                return new PandasMeta();
            }
            return m;
        }
    }

    // ---- bytes as a Parquet InputFile ----

    private record BytesInputFile(byte[] bytes) implements InputFile {
        @Override
        public long getLength() {
            return bytes.length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new BytesStream(bytes);
        }
    }

    private static final class BytesStream extends SeekableInputStream {
        private final byte[] bytes;
        private int pos;

        BytesStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > bytes.length) {
                throw new IOException("seek to " + newPos + " outside a " + bytes.length + "-byte file");
            }
            pos = (int) newPos;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, bytes.length - pos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(byte[] b) throws IOException {
            readFully(b, 0, b.length);
        }

        @Override
        public void readFully(byte[] b, int off, int len) throws IOException {
            if (len > bytes.length - pos) {
                throw new java.io.EOFException("wanted " + len + " bytes at " + pos + " of a " + bytes.length
                        + "-byte file");
            }
            System.arraycopy(bytes, pos, b, off, len);
            pos += len;
        }

        @Override
        public int read(ByteBuffer buf) {
            int n = Math.min(buf.remaining(), bytes.length - pos);
            if (n <= 0) {
                return buf.hasRemaining() ? -1 : 0;
            }
            buf.put(bytes, pos, n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            if (buf.remaining() > bytes.length - pos) {
                throw new java.io.EOFException("wanted " + buf.remaining() + " bytes at " + pos + " of a "
                        + bytes.length + "-byte file");
            }
            int n = buf.remaining();
            buf.put(bytes, pos, n);
            pos += n;
        }
    }
}
