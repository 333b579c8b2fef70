#!/usr/bin/env bash
# Codec benchmark (not part of `mvn verify`): decode throughput of io.xcomdb.codec next to CPython on the same
# values, printed as one table. Usage: bench/codec.sh [extra JMH options, e.g. -i 10]
# CASES="json3-small json3-large" bench/codec.sh measures only those cases (default: all six);
# ROUNDS=N (default 3) measures each case N times.
#
# Inputs: bench/codec/make_inputs.py (deterministic) -> target/bench-inputs/. Java: JMH (CodecBench, 1 fork,
# 1 thread, 3x2 s warm-up (8x2 s for ~1 MB values), 5x2 s measured, mean). Python: bench/codec/python_decode.py
# (timeit, best of 5 rounds of >= 0.4 s). MB = 10^6 bytes of the stored form; values/s = decodes per second.
# Each case is measured in Python and right after in Java, so the two sides of a pair see the same machine load;
# the pairs of all cases are repeated ROUNDS times, and the table shows per case the medians of the rounds and
# of their Java/Python ratios, with the lowest and highest ratio (the machine's noise). Raw results:
# target/bench-python.json, target/jmh.json, target/jmh.log.
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
rounds=${ROUNDS:-3}
for round in $(seq 1 "$rounds"); do
  for case in $cases; do
    echo "round $round/$rounds, $case: Python ..." >&2
    "$python" bench/codec/python_decode.py "$case" > "target/jmh/python-$case-$round.json" 2>/dev/null
    echo "round $round/$rounds, $case: Java (JMH) ..." >&2
    java -cp "$cp" org.openjdk.jmh.Main "CodecBench.${case##*-}\$" -p input="$case" -t 1 \
      -rf json -rff "target/jmh/$case-$round.json" "$@" >> target/jmh.log 2>&1 || { tail -40 target/jmh.log >&2; exit 1; }
  done
done
CASES="$cases" ROUNDS="$rounds" "$python" - <<'PY'
import json, os
cases, rounds = os.environ["CASES"].split(), int(os.environ["ROUNDS"])
jmh, py = {}, {}
for c in cases:
    jmh[c] = [json.load(open(f"target/jmh/{c}-{r}.json"))[0] for r in range(1, rounds + 1)]
    py[c] = [json.load(open(f"target/jmh/python-{c}-{r}.json"))[c] for r in range(1, rounds + 1)]
json.dump(jmh, open("target/jmh.json", "w"), indent=1)
json.dump(py, open("target/bench-python.json", "w"), indent=1)
PY
echo >&2
"$python" bench/codec/table.py target/jmh.json target/bench-python.json target/bench-inputs/manifest.json
