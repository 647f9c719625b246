#!/usr/bin/env bash
# JMH hot-path benchmarks (short: 1 fork, 3 x 1 s warm-up, 3 x 1 s measurement each).
#   integration-tests/benchmark/jmh.sh [regex]     e.g. jmh.sh Room, jmh.sh Logprob
# Compiles the test classes (offline Maven) of each module holding benchmarks and runs JMH once per module, on that
# module's test class path: JMH's annotation processor writes one META-INF/BenchmarkList per module, and with several
# modules on one class path JMH would only see one of them.
#   integration-tests   io.minilb.benchmark.HotPathBenchmarks          pair selection, room allocation
#                       io.minilb.benchmark.RoutingDecisionBenchmarks  one decision per routing policy (16 workers)
#   adapters-http-in    io.minilb.adapters.in.http.BodyInjectionBenchmark   body parse + bootstrap injection
#   adapters-http-out   io.minilb.adapters.out.http.LogprobMergeBenchmark   logprob merge
#                       io.minilb.adapters.out.http.SseScanBenchmark        SSE frame splitting, [DONE] detection
# The adapter benchmarks live in their (package-private) classes' packages under the test sources; they are named
# *Benchmark so surefire does not run them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
REGEX="${1:-}"
MODULES=(integration-tests adapters-http-in adapters-http-out)
[ -f bootstrap/target/mini-lb.jar ] || mvn -B -q -o install -DskipTests -DskipITs
mvn -B -q -o -pl "$(IFS=,; echo "${MODULES[*]}")" test-compile
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
ran=0
for module in "${MODULES[@]}"; do
    list="$module/target/test-classes/META-INF/BenchmarkList"
    [ -s "$list" ] || { echo "jmh.sh: $list is missing; did the JMH annotation processor run?" >&2; exit 1; }
    if [ -n "$REGEX" ] && ! grep -qE "$REGEX" "$list"; then
        continue
    fi
    mvn -B -q -o -pl "$module" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/$module.cp" >/dev/null
    echo "==================== JMH: $module"
    # -foe: fail on a benchmark error. No regex: every benchmark in the module's BenchmarkList.
    timeout 900 java -cp "$module/target/test-classes:$module/target/classes:$(cat "$TMP/$module.cp")" \
        org.openjdk.jmh.Main -foe true ${REGEX:+"$REGEX"}
    ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "jmh.sh: no benchmark matches '$REGEX'" >&2; exit 1; }
