#!/usr/bin/env bash
# Codec benchmark (not part of `mvn verify`): decode throughput of io.xcomdb.codec next to CPython on the same
# values, measured in one run, printed as one table. Usage: bench/codec.sh [extra JMH options, e.g. -i 10]
# CASES="json3-small json3-large" bench/codec.sh measures only those cases (default: all six).
#
# Inputs: bench/codec/make_inputs.py (deterministic) -> target/bench-inputs/. Java: JMH (CodecBench, 1 fork,
# 1 thread, 3x2 s warm-up (8x2 s for ~1 MB values), 5x2 s measured, mean). Python: bench/codec/python_decode.py
# (timeit, best of 5 rounds of >= 0.4 s). MB = 10^6 bytes of the stored form; values/s = decodes per second.
# Each case is measured in Python and right after in Java, so the two sides of a row see the same machine load;
# Java/Python is the ratio of values/s. Raw results: target/bench-python.json, target/jmh.json, target/jmh.log.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
"$python" bench/codec/make_inputs.py target/bench-inputs 2>/dev/null
cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
rm -rf target/jmh && mkdir -p target/jmh && : > target/jmh.log
echo "CPython $("$python" -c 'import platform; print(platform.python_version())'), $(java -version 2>&1 | head -1)" >&2
all_cases="json3-small json2-small pickle4-small json3-large json2-large pickle4-large"
cases=${CASES:-$all_cases}
for case in $cases; do
  echo "$case: Python ..." >&2
  "$python" bench/codec/python_decode.py "$case" > "target/jmh/python-$case.json" 2>/dev/null
  echo "$case: Java (JMH) ..." >&2
  java -cp "$cp" org.openjdk.jmh.Main "CodecBench.${case##*-}\$" -p input="$case" -t 1 \
    -rf json -rff "target/jmh/$case.json" "$@" >> target/jmh.log 2>&1 || { tail -40 target/jmh.log >&2; exit 1; }
done
CASES="$cases" "$python" - <<'PY'
import json, os
cases = os.environ["CASES"].split()
jmh, py = [], {}
for c in cases:
    jmh += json.load(open(f"target/jmh/{c}.json"))
    py.update(json.load(open(f"target/jmh/python-{c}.json")))
json.dump(jmh, open("target/jmh.json", "w"), indent=1)
json.dump(py, open("target/bench-python.json", "w"), indent=1)
PY
echo >&2
"$python" bench/codec/table.py target/jmh.json target/bench-python.json target/bench-inputs/manifest.json
