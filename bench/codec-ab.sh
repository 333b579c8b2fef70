#!/usr/bin/env bash
# A/B of the codec's decode speed (not part of `mvn verify`): the code of REV (default HEAD) against the working
# tree, both in one JVM, in short slices that alternate (io.xcomdb.bench.CodecAB). The machine's noise moves both
# alike within a slice, so the median of the per-slice ratios shows a change of a few percent that separate runs
# of bench/codec.sh cannot. Usage: bench/codec-ab.sh [REV]
# CASES as bench/codec.sh (default: all six); ROUNDS slices per build (default 100) of SLICE seconds (default 0.2).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
python=${PYTHON:-python3}
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
"$python" bench/codec/make_inputs.py target/bench-inputs 2>/dev/null
old=target/ab-old
rm -rf "$old" && mkdir -p "$old"
git archive "$rev" | tar -x -C "$old"
echo "building $rev in $old ..." >&2
(cd "$old" && mvn -B -q -DskipTests compile >&2)
files=()
for case in ${CASES:-json3-small json2-small pickle4-small json3-large json2-large pickle4-large}; do
  case "$case" in
    json3-*) files+=("target/bench-inputs/$case.json") ;;
    json2-*) files+=("target/bench-inputs/$case.bin") ;;
    pickle4-*) files+=("target/bench-inputs/$case.pkl") ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
  esac
done
echo "A = $rev ($(git rev-parse --short "$rev")), B = the working tree" >&2
java -Xms1g -Xmx1g -cp "target/test-classes:$(cat target/test-classpath.txt)" io.xcomdb.bench.CodecAB \
  "$old/target/classes" target/classes "${ROUNDS:-100}" "${SLICE:-0.2}" "${files[@]}"
