#!/usr/bin/env bash
# Object-storage purge benchmark (not part of `mvn verify`): a cleanup without a purge, with a purge of a directory
# and of S3 (s3proxy in-process), and the sweep of a directory, on fresh copies of one seeded PostgreSQL table.
# Usage: bench/purge.sh [rows] [one reference in N rows]   (defaults 200000 and 5)
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/databases.sh
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" io.xcomdb.bench.PurgeBench "$@"
