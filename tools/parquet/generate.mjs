// Writes the Parquet test files for PandasDataFrame.table() and their golden vectors.
//
// pyarrow/pandas cannot write Parquet on the build machine, so this uses the arrow-rs writer (parquet-wasm)
// and adds the "pandas" key-value entry pyarrow's Table.from_pandas() puts in the file, the way Airflow's
// serde stores a DataFrame: pq.write_table(table, buf, compression="snappy"), hex in
// {"__classname__": "pandas.core.frame.DataFrame", "__version__": 1, "__data__": "<hex>"}.
//
//   cd tools/parquet && npm install --no-package-lock && node generate.mjs
//
// Output: src/test/resources/codec/dataframes/*.parquet and src/test/resources/codec/dataframes.jsonl
// (one line per file: id, file, compression, the serde envelope, and the expected columns and rows).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Bool, DateDay, Decimal, Field, Float64, Int64, Schema, Table, TimestampMicrosecond, TimestampNanosecond,
  Utf8, makeData, makeVector, tableToIPC, vectorFromArray,
} from 'apache-arrow';
import * as pw from 'parquet-wasm/node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'src', 'test', 'resources', 'codec', 'dataframes');
mkdirSync(outDir, { recursive: true });

function bitmap(values) {
  const bits = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => { if (v !== null) bits[i >> 3] |= 1 << (i & 7); });
  return bits;
}

function nulls(values) {
  return values.filter((v) => v === null).length;
}

function fixed(type, values, data) {
  return makeVector(makeData({ type, length: values.length, nullCount: nulls(values), nullBitmap: bitmap(values), data }));
}

function int64(values) {
  return fixed(new Int64(), values, BigInt64Array.from(values, (v) => (v === null ? 0n : BigInt(v))));
}

// ISO instant with up to 9 fraction digits -> BigInt nanoseconds since the epoch.
function epochNanos(iso) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  const seconds = BigInt(Date.parse(m[1] + 'Z')) / 1000n;
  return seconds * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function timestampNs(values, zone) {
  return fixed(new TimestampNanosecond(zone), values, BigInt64Array.from(values, (v) => (v === null ? 0n : epochNanos(v))));
}

function timestampUs(values, zone) {
  return fixed(new TimestampMicrosecond(zone), values,
    BigInt64Array.from(values, (v) => (v === null ? 0n : epochNanos(v) / 1000n)));
}

function date32(values) {
  return fixed(new DateDay(), values, Int32Array.from(values, (v) => (v === null ? 0 : Date.parse(v + 'T00:00:00Z') / 86_400_000)));
}

// Decimal128: the unscaled value as 16 little-endian two's-complement bytes.
function decimal(values, precision, scale) {
  const words = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    if (v === null) return;
    const [whole, frac = ''] = v.replace('-', '').split('.');
    let unscaled = BigInt(whole + frac.padEnd(scale, '0'));
    if (v.startsWith('-')) unscaled = -unscaled;
    let u = BigInt.asUintN(128, unscaled);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(u & 0xffffffffn);
      u >>= 32n;
    }
  });
  return fixed(new Decimal(scale, precision, 128), values, words);
}

// The "pandas" metadata entry as pyarrow writes it.
function pandasMetadata(columns, indexColumns) {
  return JSON.stringify({
    index_columns: indexColumns,
    column_indexes: [{ name: null, field_name: null, pandas_type: 'unicode', numpy_type: 'object',
      metadata: { encoding: 'UTF-8' } }],
    columns: columns.map((c) => ({ name: c.pandasName === undefined ? c.name : c.pandasName, field_name: c.name,
      pandas_type: c.pandasType, numpy_type: c.numpyType, metadata: c.metadata ?? null })),
    creator: { library: 'pyarrow', version: '17.0.0' },
    pandas_version: '2.2.2',
  });
}

function write(columns, indexColumns, compression, rowGroupSize, writerVersion = pw.WriterVersion.V1) {
  const meta = new Map([['pandas', pandasMetadata(columns, indexColumns)]]);
  const schema = new Schema(columns.map((c) => new Field(c.name, c.vector.type, true)), meta);
  const table = new Table(schema, Object.fromEntries(columns.map((c) => [c.name, c.vector])));
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(compression)
    .setWriterVersion(writerVersion)
    .setMaxRowGroupSize(rowGroupSize)
    .setKeyValueMetadata(meta)
    .setCreatedBy('parquet-cpp-arrow version 17.0.0')
    .build();
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

// ---- the typed frame: every type the reader maps, with nulls and NaN, and a stored (non-range) index ----
const typed = [
  { name: 'count', pandasType: 'int64', numpyType: 'int64', type: 'int64',
    values: ['1', '-2', '9007199254740993', null, '-9223372036854775808'] },
  { name: 'price', pandasType: 'float64', numpyType: 'float64', type: 'double',
    values: [1.5, null, 'NaN', '-0.0', 1e300] },
  { name: 'name', pandasType: 'unicode', numpyType: 'object', type: 'string',
    values: ['a', null, 'ünïcødé ✓', '', 'x'] },
  { name: 'flag', pandasType: 'bool', numpyType: 'bool', type: 'bool', values: [true, false, null, true, false] },
  { name: 'at_utc', pandasType: 'datetimetz', numpyType: 'datetime64[ns]', metadata: { timezone: 'UTC' },
    type: 'timestamp[ns, tz=UTC]',
    values: ['2024-01-02T03:04:05.123456789Z', null, '1969-12-31T23:59:59.999999999Z', '2262-04-11T23:47:16.854775807Z',
      '2024-03-31T01:30:00Z'] },
  { name: 'at_berlin', pandasType: 'datetimetz', numpyType: 'datetime64[us]', metadata: { timezone: 'Europe/Berlin' },
    type: 'timestamp[us, tz=Europe/Berlin]',
    values: ['2024-07-01T10:00:00.000001Z', '2024-12-24T18:00:00Z', null, '1900-01-01T00:00:00Z', '2024-03-31T00:59:59Z'] },
  { name: 'at_naive', pandasType: 'datetime', numpyType: 'datetime64[ns]', type: 'timestamp[ns]',
    values: ['2024-01-02T03:04:05.000000001Z', null, '2000-02-29T12:00:00Z', '1970-01-01T00:00:00Z', '2024-01-01T00:00:00Z'] },
  { name: 'day', pandasType: 'date', numpyType: 'object', type: 'date32[day]',
    values: ['2024-02-29', null, '1970-01-01', '1900-01-01', '9999-12-31'] },
  { name: 'amount', pandasType: 'decimal', numpyType: 'object', metadata: { precision: 10, scale: 2 },
    type: 'decimal128(10, 2)', values: ['123.45', '-0.01', null, '99999999.99', '0.00'] },
  { name: 'amount_wide', pandasType: 'decimal', numpyType: 'object', metadata: { precision: 38, scale: 10 },
    type: 'decimal128(38, 10)',
    values: ['1234567890123456789012345678.0123456789', '-0.0000000001', '0E-10', null, '-9999999999999999999999999999.9999999999'] },
  { name: '__index_level_0__', pandasName: null, pandasType: 'int64', numpyType: 'int64', type: 'int64', index: true,
    values: ['10', '20', '30', '40', '50'] },
];

function vectorOf(c) {
  const v = c.values;
  switch (c.name) {
    case 'count': case '__index_level_0__': return int64(v);
    case 'price': return vectorFromArray(v.map((x) => (x === null ? null : Number(x))), new Float64());
    case 'name': return vectorFromArray(v, new Utf8());
    case 'flag': return vectorFromArray(v, new Bool());
    case 'at_utc': return timestampNs(v, 'UTC');
    case 'at_berlin': return timestampUs(v, 'Europe/Berlin');
    case 'at_naive': return timestampNs(v.map((x) => x), null);
    case 'day': return date32(v);
    case 'amount': return decimal(v, 10, 2);
    case 'amount_wide': return decimal(v.map((x) => (x === '0E-10' ? '0.0000000000' : x)), 38, 10);
    default: throw new Error(c.name);
  }
}
typed.forEach((c) => { c.vector = vectorOf(c); });

// JSON Lines needs plain JSON: non-finite and -0.0 floats and int64 beyond 2^53 stay strings.
function expectedColumns(cols) {
  return cols.map((c) => ({ name: c.pandasName === undefined ? c.name : c.pandasName, field: c.name, type: c.type,
    pandasType: c.pandasType,
    index: c.index === true, values: c.values }));
}

function envelope(bytes) {
  return `{"__classname__": "pandas.core.frame.DataFrame", "__version__": 1, "__data__": "${Buffer.from(bytes).toString('hex')}"}`;
}

const vectors = [];
function emit(id, bytes, extra, withEnvelope = true) {
  const file = `${id}.parquet`;
  writeFileSync(join(outDir, file), bytes);
  vectors.push({ id, file, size: bytes.length, ...extra, ...(withEnvelope ? { airflow: envelope(bytes) } : {}) });
  console.log(`${file}: ${bytes.length} bytes`);
}

const typedIndex = ['__index_level_0__'];
for (const [id, compression, version] of [
  ['typed-snappy', pw.Compression.SNAPPY, pw.WriterVersion.V1],
  ['typed-snappy-v2', pw.Compression.SNAPPY, pw.WriterVersion.V2],
  ['typed-zstd', pw.Compression.ZSTD, pw.WriterVersion.V1],
  ['typed-uncompressed', pw.Compression.UNCOMPRESSED, pw.WriterVersion.V1],
  ['typed-gzip', pw.Compression.GZIP, pw.WriterVersion.V1],
]) {
  const readable = compression !== pw.Compression.GZIP;
  emit(id, write(typed, typedIndex, compression, 1024 * 1024, version), {
    compression: pw.Compression[compression], readable, rows: 5, columns: expectedColumns(typed),
  });
}

// ---- the default pandas frame: a RangeIndex lives only in the metadata ----
const ranged = [
  { name: 'city', pandasType: 'unicode', numpyType: 'object', type: 'string', values: ['Berlin', 'Oslo', null] },
  { name: 'temp', pandasType: 'float64', numpyType: 'float64', type: 'double', values: [21.5, -3.25, 'NaN'] },
];
ranged[0].vector = vectorFromArray(ranged[0].values, new Utf8());
ranged[1].vector = vectorFromArray([21.5, -3.25, NaN], new Float64());
emit('range-index-snappy', write(ranged, [{ kind: 'range', name: null, start: 0, stop: 3, step: 1 }],
  pw.Compression.SNAPPY, 1024 * 1024), { compression: 'SNAPPY', readable: true, rows: 3, columns: expectedColumns(ranged) });

// ---- a big-ish frame in several row groups; the test recomputes its values from the row number and wraps it
// in the serde envelope itself (the hex would double the file in the JSON Lines) ----
const n = 20_000;
const labels = ['alpha', 'beta', 'gamma', null];
const big = [
  { name: 'id', pandasType: 'int64', numpyType: 'int64', type: 'int64',
    vector: int64(Array.from({ length: n }, (_, i) => i * 7 - 1000)) },
  { name: 'ratio', pandasType: 'float64', numpyType: 'float64', type: 'double',
    vector: vectorFromArray(Float64Array.from({ length: n }, (_, i) => i / 8)) },
  { name: 'label', pandasType: 'unicode', numpyType: 'object', type: 'string',
    vector: vectorFromArray(Array.from({ length: n }, (_, i) => labels[i % 4]), new Utf8()) },
  { name: 'at', pandasType: 'datetimetz', numpyType: 'datetime64[ns]', metadata: { timezone: 'UTC' },
    type: 'timestamp[ns, tz=UTC]',
    vector: fixed(new TimestampNanosecond('UTC'), new Array(n).fill(0),
      BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000_001n)) },
];
emit('big-snappy', write(big, [{ kind: 'range', name: null, start: 0, stop: n, step: 1 }], pw.Compression.SNAPPY, 8_000),
  { compression: 'SNAPPY', readable: true, rows: n,
    columns: big.map((c) => ({ name: c.name, field: c.name, type: c.type, pandasType: c.pandasType, index: false })),
    formula: 'id = 7*i - 1000; ratio = i / 8; label = ["alpha","beta","gamma",null][i % 4]; at = 1700000000 s + i * 1000000001 ns' },
  false);

writeFileSync(join(root, 'src', 'test', 'resources', 'codec', 'dataframes.jsonl'),
  vectors.map((v) => JSON.stringify(v)).join('\n') + '\n');
