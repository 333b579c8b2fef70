#!/usr/bin/env bash
# DataFrame rows benchmark (not part of `mvn verify`): decoding a pandas DataFrame XCom (3.x JSON, hex -> bytes)
# next to decoding it and reading its Parquet rows (PandasDataFrame.table()), on the files of tools/parquet.
# JMH (DataFrameBench, 1 fork, 1 thread, 3x2 s warm-up, 5x2 s measured). Usage: bench/dataframe.sh [JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
java -cp "$cp" org.openjdk.jmh.Main 'DataFrameBench' -rf json -rff target/jmh-dataframe.json "$@" > target/jmh-dataframe.log 2>&1 \
  || { tail -40 target/jmh-dataframe.log >&2; exit 1; }
python3 - <<'PY'
import json
rows = {"typed-snappy": 5, "big-snappy": 20000}
res = {}
for r in json.load(open("target/jmh-dataframe.json")):
    res[(r["params"]["input"], r["benchmark"].rsplit(".", 1)[1])] = r["primaryMetric"]["score"]
print("| input | rows | decode (values/s) | decode + rows (values/s) | rows/s | rows cost vs decode |")
print("|---|---|---|---|---|---|")
for inp in ["typed-snappy", "big-snappy"]:
    d, t = res[(inp, "decode")], res[(inp, "decodeAndReadRows")]
    print(f"| {inp} | {rows[inp]} | {d:,.0f} | {t:,.0f} | {t * rows[inp]:,.0f} | {d / t:.1f}x |")
PY
