#!/usr/bin/env bash
# Which garbage collector suits mini-lb: the same load, mini-lb started once per collector, in interleaved rounds,
# against an instant backend (nginx answering at once), so that mini-lb is the bottleneck. See docs/RELIABILITY.md.
#
#   integration-tests/benchmark/gc-compare.sh
#
# Knobs (env): ROUNDS (3), DURATION (s per measurement, 8), CONNECTIONS (64), HEAP (512m),
# COLLECTORS ("G1 Parallel Serial Z Shenandoah"; one not in this JVM is skipped), LB_JAR (another mini-lb jar). Needs java 17, wrk, nginx, curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/integration-tests/benchmark"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-8}"
CONNECTIONS="${CONNECTIONS:-64}"
HEAP="${HEAP:-512m}"
COLLECTORS="${COLLECTORS:-G1 Parallel Serial Z Shenandoah}"
PREFILL_PORT=8290; DECODE_PORT=8292; LB_PORT=8291
LB_JAR="${LB_JAR:-$ROOT/bootstrap/target/mini-lb.jar}"

for tool in java wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "gc-compare.sh: $tool is required" >&2; exit 1; }
done
[ -f "$LB_JAR" ] || { echo "gc-compare.sh: build first: ./mvnw -B -q -DskipTests -DskipITs package" >&2; exit 1; }

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

wait_up() { # url
  for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done
  echo "gc-compare.sh: $1 did not come up" >&2; exit 1
}

sed -e "s#@DIR@#$TMP#g" -e "s#@PREFILL_PORT@#$PREFILL_PORT#g" -e "s#@DECODE_PORT@#$DECODE_PORT#g" "$BENCH/instant-backend.conf.template" > "$TMP/instant.conf"
nginx -c "$TMP/instant.conf" -p "$TMP" >/dev/null 2>&1 &
PIDS+=("$!")
wait_up "http://127.0.0.1:$DECODE_PORT/health"

available=()
for gc in $COLLECTORS; do
  if java "-XX:+Use${gc}GC" -version >/dev/null 2>&1; then available+=("$gc"); else echo "skipping ${gc}GC: not in this JVM"; fi
done

# The stop-the-world pauses during the measured run, from the safepoint log (every collector's pauses, and the
# JVM's own, counted alike): count, longest and total milliseconds.
pauses() { # safepoint log lines on stdin
  awk 'match($0, /Total: [0-9]+ ns/) { ms = substr($0, RSTART + 7, RLENGTH - 10) / 1e6; n++; total += ms; if (ms > max) max = ms }
       END { printf "%d %.1f %.1f", n, max, total }'
}

echo "collector round rps p50_ms p99_ms p999_ms errors pauses max_pause_ms total_pause_ms"
for round in $(seq 1 "$ROUNDS"); do
  for gc in "${available[@]}"; do
    java -Xms"$HEAP" -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError "-XX:+Use${gc}GC" -Xlog:safepoint:file="$TMP/gc-$gc.log" \
      -jar "$LB_JAR" --port "$LB_PORT" \
      --prefill "http://127.0.0.1:$PREFILL_PORT" none --decode "http://127.0.0.1:$DECODE_PORT" \
      >"$TMP/lb-$gc.log" 2>&1 &
    lb=$!
    wait_up "http://127.0.0.1:$LB_PORT/health"
    wrk -t2 -c"$CONNECTIONS" -d2s -s "$BENCH/generate.lua" "http://127.0.0.1:$LB_PORT" >/dev/null # warm-up
    warm=$(wc -l < "$TMP/gc-$gc.log")
    line=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$BENCH/generate.lua" "http://127.0.0.1:$LB_PORT" | grep '^WRK')
    kill "$lb"; wait "$lb" 2>/dev/null || true
    echo "$(echo "$line" | sed -E "s/^WRK rps=([^ ]*) p50_ms=([^ ]*) p99_ms=([^ ]*) p999_ms=([^ ]*) .*errors=([^ ]*) .*/$gc $round \1 \2 \3 \4 \5/") $(tail -n +"$((warm + 1))" "$TMP/gc-$gc.log" | pauses)"
  done
done
