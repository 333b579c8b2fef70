#!/usr/bin/env bash
# Cleanup benchmark (not part of `mvn verify`): xcomdb cleanup next to `airflow db clean` replayed as its SQL, on
# fresh copies of one seeded table, one table per server (PostgreSQL, then MySQL 8).
# Usage: bench/cleanup.sh [rows] [mysql rows]   (defaults 2000000 and 400000; 0 skips a server)
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/databases.sh
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" io.xcomdb.bench.CleanupBench "$@"
