#!/usr/bin/env bash
# Codec benchmark (not part of `mvn verify`): decode throughput of io.xcomdb.codec next to CPython on the same
# values, measured in one run, printed as one table. Usage: bench/codec.sh [extra JMH options, e.g. -i 10]
#
# Inputs: bench/codec/make_inputs.py (deterministic) -> target/bench-inputs/. Java: JMH (CodecBench, 1 fork,
# 1 thread, 3x2 s warm-up (8x2 s for ~1 MB values), 5x2 s measured, mean). Python: bench/codec/python_decode.py
# (timeit, best of 5 rounds).
# MB = 10^6 bytes of the stored form; values/s = decodes per second. The two sides run one after the other on the
# same machine, so both see the same noise; Java/Python is the ratio of values/s.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
"$python" bench/codec/make_inputs.py target/bench-inputs 2>/dev/null
echo "CPython $("$python" -c 'import platform; print(platform.python_version())'): decoding ..." >&2
"$python" bench/codec/python_decode.py target/bench-inputs > target/bench-python.json
echo "Java $(java -version 2>&1 | head -1): JMH ..." >&2
java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main CodecBench \
  -t 1 -rf json -rff target/jmh.json "$@" > target/jmh.log 2>&1 || { tail -40 target/jmh.log >&2; exit 1; }
echo >&2
"$python" bench/codec/table.py target/jmh.json target/bench-python.json target/bench-inputs/manifest.json
