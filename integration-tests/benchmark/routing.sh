#!/usr/bin/env bash
# Routing policies compared (issue 11): 2 prefill simulators with a prefix cache each, 2 decode simulators with a
# batch size (the second twice as slow), two shared-prefix workloads (documents x questions, multi-turn
# conversations), every policy on fresh simulators, interleaved over rounds. Prints a Markdown table per workload:
# TTFT mean/p50/p99, total p50/p99, throughput, cache hit rate. See docs/ROUTING.md.
#
#   integration-tests/benchmark/routing.sh
#
# Knobs (env, passed as system properties): ROUNDS (2), REQUESTS per policy and round (160), CONCURRENCY (16),
# DOCUMENTS (8), DOCUMENT_WORDS (800), CONVERSATIONS (32), TURNS (5), OUTPUT_TOKENS (32), PREFILL_MS_PER_TOKEN
# (0.5), PREFIX_CACHE_TOKENS (3400), DECODE_MS_PER_TOKEN (4), DECODE_BATCH_SIZE (4). Needs java 17; compiles with the offline Maven wrapper.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
./mvnw -B -q -o -pl integration-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$TMP/cp.txt" >/dev/null
prop() { [ -n "${!1:-}" ] && echo "-D$2=${!1}" || true; }
# shellcheck disable=SC2046 # one -D flag per knob that is set
exec java -Xmx1g $(prop ROUNDS rounds) $(prop REQUESTS requests) $(prop CONCURRENCY concurrency) \
  $(prop DOCUMENTS documents) $(prop DOCUMENT_WORDS documentWords) $(prop CONVERSATIONS conversations) \
  $(prop TURNS turns) $(prop OUTPUT_TOKENS outputTokens) \
  $(prop PREFILL_MS_PER_TOKEN prefillMsPerToken) $(prop PREFIX_CACHE_TOKENS prefixCacheTokens) \
  $(prop DECODE_MS_PER_TOKEN decodeMsPerToken) $(prop DECODE_BATCH_SIZE decodeBatchSize) \
  -cp "integration-tests/target/test-classes:integration-tests/target/classes:$(cat "$TMP/cp.txt")" \
  io.minilb.benchmark.RoutingBenchmark
