#!/usr/bin/env bash
# JMH hot-path benchmarks (short: 1 fork, 3 x 1 s warm-up, 3 x 1 s measurement each).
#   integration-tests/benchmark/jmh.sh [regex]     e.g. jmh.sh Room
# Compiles the integration-tests test classes (offline Maven) and runs HotPathBenchmarksMain on the test class path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[ -f bootstrap/target/mini-lb.jar ] || mvn -B -q -o install -DskipTests -DskipITs
mvn -B -q -o -pl integration-tests test-compile
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -o -pl integration-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
timeout 900 java -cp "integration-tests/target/test-classes:integration-tests/target/classes:$(cat "$CP_FILE")" \
    io.minilb.benchmark.HotPathBenchmarksMain "$@"
