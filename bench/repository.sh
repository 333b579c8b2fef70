#!/usr/bin/env bash
# Repository benchmark (not part of `mvn verify`): push/pull rows/s on PostgreSQL or MySQL 8 beside the bulk paths and Airflow's
# per-row pattern, printed as one table. Usage: bench/repository.sh [rows] [postgresql|mysql]   (defaults: 100000 postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/databases.sh
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" io.xcomdb.bench.RepositoryBench "$@"
