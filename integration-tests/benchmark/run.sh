#!/usr/bin/env bash
# mini-lb load benchmark: direct (client does both PD legs itself) vs mini-lb vs nginx, against simulators in
# zero-latency mode, on this machine, in one run. See docs/PERFORMANCE.md.
#
#   integration-tests/benchmark/run.sh            # everything (~8 min)
#   QUICK=1 integration-tests/benchmark/run.sh    # 3 s runs, smoke test (~2 min)
#
# Knobs (env): DURATION (wrk/Java run seconds, 10), WARMUP (2), CONCURRENCIES ("1 16 64 256"),
# STREAM_COUNTS ("64 1000"), STREAM_TOKENS (50), MS_PER_TOKEN (10), STARTUP_RUNS (5), RESULTS (dir).
# Needs: java 17, wrk, nginx (binary only; run as a non-daemon on a temp config), curl. Builds the jars if missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/integration-tests/benchmark"
cd "$ROOT"

QUICK="${QUICK:-0}"
DURATION="${DURATION:-$([ "$QUICK" = 1 ] && echo 3 || echo 10)}"
WARMUP="${WARMUP:-$([ "$QUICK" = 1 ] && echo 1 || echo 2)}"
CONCURRENCIES="${CONCURRENCIES:-1 16 64 256}"
STREAM_COUNTS="${STREAM_COUNTS:-64 1000}"
STREAM_TOKENS="${STREAM_TOKENS:-50}"
MS_PER_TOKEN="${MS_PER_TOKEN:-10}"
STARTUP_RUNS="${STARTUP_RUNS:-$([ "$QUICK" = 1 ] && echo 2 || echo 5)}"
RESULTS="${RESULTS:-$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}"
JAVA_OPTS_LB="${JAVA_OPTS_LB:-}"

# Ports: simulators, mini-lb, nginx, and a second pair for streaming with paced tokens.
P_PORT=30100; P_BOOT=8990; D_PORT=31100; LB_PORT=8180; NGX_PORT=8181
SP_PORT=30200; SP_BOOT=8991; SD_PORT=31200; SLB_PORT=8182; ST_PORT=8183

LB_JAR="$ROOT/bootstrap/target/mini-lb.jar"
SIM_JAR="$ROOT/integration-tests/target/sglang-simulator.jar"
CLIENT="$ROOT/integration-tests/src/test/java/io/minilb/benchmark/LoadClient.java"

for tool in java wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 1; }
done
if [ ! -f "$LB_JAR" ] || [ ! -f "$SIM_JAR" ]; then
  echo "== building jars (mvn install -DskipTests)"
  mvn -B -q install -DskipTests -DskipITs -o || mvn -B -q install -DskipTests -DskipITs
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# shellcheck source=integration-tests/benchmark/common.sh
source "$BENCH/common.sh"
start() { # name cmd...: background, remember the pid
  local name="$1"; shift
  "$@" > "$RESULTS/$name.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${name//-/_}=$!"
}
wait_http() { # url [seconds]
  local deadline=$(( $(date +%s) + ${2:-30} ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timeout waiting for $1" >&2; exit 1; }
    sleep 0.05
  done
}
client() { timeout 600 java -Xss512k -XX:+UseParallelGC "$CLIENT" "$@"; }

log "# mini-lb benchmark $(date -u +%FT%TZ) on $(hostname): $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
log "# java: $(java -version 2>&1 | head -1); nginx: $(nginx -v 2>&1 | cut -d/ -f2); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
log "# DURATION=$DURATION WARMUP=$WARMUP CONCURRENCIES='$CONCURRENCIES' STREAM_COUNTS='$STREAM_COUNTS' STREAM_TOKENS=$STREAM_TOKENS MS_PER_TOKEN=$MS_PER_TOKEN"

# ------------------------------------------------------------------ startup: java -jar to first 200 on /health
echo "== startup (java -jar to first 200 on /health), $STARTUP_RUNS runs"
start sim-prefill java -jar "$SIM_JAR" --mode prefill --port $P_PORT --bootstrap-port $P_BOOT
start sim-decode java -jar "$SIM_JAR" --mode decode --port $D_PORT --bootstrap-port $P_BOOT
wait_http "http://127.0.0.1:$P_PORT/health"; wait_http "http://127.0.0.1:$D_PORT/health"
for i in $(seq 1 "$STARTUP_RUNS"); do
  t0=$(date +%s%N)
  java $JAVA_OPTS_LB -jar "$LB_JAR" --port $ST_PORT --prefill "http://127.0.0.1:$P_PORT" $P_BOOT \
      --decode "http://127.0.0.1:$D_PORT" > "$RESULTS/startup-$i.log" 2>&1 &
  spid=$!; PIDS+=("$spid")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ST_PORT/health" 2>/dev/null)" = 200 ]; do
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 30000 ] || { echo "mini-lb did not start" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  log "RESULT kind=startup run=$i ms=$(( (t1 - t0) / 1000000 ))"
  kill "$spid"; wait "$spid" 2>/dev/null || true
done

# ------------------------------------------------------------------ non-streaming /generate
echo "== non-streaming /generate: direct vs mini-lb vs nginx"
start mini-lb java $JAVA_OPTS_LB -jar "$LB_JAR" --port $LB_PORT --prefill "http://127.0.0.1:$P_PORT" $P_BOOT \
    --decode "http://127.0.0.1:$D_PORT"
sed -e "s#@DIR@#$TMP#g" -e "s/@PORT@/$NGX_PORT/" -e "s/@PREFILL_PORT@/$P_PORT/" -e "s/@DECODE_PORT@/$D_PORT/" \
    "$BENCH/nginx.conf.template" > "$TMP/nginx.conf"
mkdir -p "$TMP"/{body,proxy,fastcgi,uwsgi,scgi}
start nginx nginx -c "$TMP/nginx.conf" -p "$TMP"
wait_http "http://127.0.0.1:$LB_PORT/readiness" 60; wait_http "http://127.0.0.1:$NGX_PORT/health" # mini-lb warmed up

# Warm every JVM (simulators, mini-lb) before measuring.
client generate --target proxy --url "http://127.0.0.1:$LB_PORT" --concurrency 16 --duration 3 --warmup 2 --label warm >/dev/null
client generate --target direct --prefill "http://127.0.0.1:$P_PORT" --decode "http://127.0.0.1:$D_PORT" \
    --bootstrap-port $P_BOOT --concurrency 16 --duration 3 --warmup 2 --label warm >/dev/null

wrk_run() { # label url concurrency bootstrap(0|1)
  local threads=$(( $3 < 2 ? 1 : 2 )) out
  out=$(BOOTSTRAP="$4" BOOTSTRAP_PORT=$P_BOOT timeout $(( DURATION + 60 )) \
      wrk -t"$threads" -c"$3" -d"${DURATION}s" --timeout 30s --latency -s "$BENCH/generate.lua" "$2" | grep '^WRK')
  log "RESULT kind=wrk label=$1 concurrency=$3 ${out#WRK }"
}
for c in $CONCURRENCIES; do
  echo "-- concurrency $c"
  # Interleaved, so drifting machine noise hits every setup alike.
  log "RESULT kind=java $(client generate --target direct --prefill "http://127.0.0.1:$P_PORT" --decode "http://127.0.0.1:$D_PORT" \
      --bootstrap-port $P_BOOT --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" --label direct)"
  log "RESULT kind=java $(client generate --target proxy --url "http://127.0.0.1:$LB_PORT" \
      --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" --label minilb)"
  log "RESULT kind=java $(client generate --target proxy --url "http://127.0.0.1:$NGX_PORT" --inject-bootstrap \
      --bootstrap-port $P_BOOT --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" --label nginx)"
  wrk_run minilb "http://127.0.0.1:$LB_PORT" "$c" 0
  wrk_run nginx "http://127.0.0.1:$NGX_PORT" "$c" 1
done
log "RESULT kind=rss label=minilb-generate vmhwm_kb=$(awk '/VmHWM/{print $2}' /proc/$PID_mini_lb/status)"
kill "$PID_mini_lb" "$PID_nginx" 2>/dev/null || true

# ------------------------------------------------------------------ streaming
echo "== streaming: $STREAM_TOKENS frames at $MS_PER_TOKEN ms/token, direct vs mini-lb"
start ssim-prefill java -jar "$SIM_JAR" --mode prefill --port $SP_PORT --bootstrap-port $SP_BOOT
start ssim-decode java -jar "$SIM_JAR" --mode decode --port $SD_PORT --bootstrap-port $SP_BOOT \
    --decode-ms-per-token "$MS_PER_TOKEN"
start stream-lb java $JAVA_OPTS_LB -jar "$LB_JAR" --port $SLB_PORT --prefill "http://127.0.0.1:$SP_PORT" $SP_BOOT \
    --decode "http://127.0.0.1:$SD_PORT"
wait_http "http://127.0.0.1:$SP_PORT/health"; wait_http "http://127.0.0.1:$SD_PORT/health"
wait_http "http://127.0.0.1:$SLB_PORT/readiness" 60
for n in $STREAM_COUNTS; do
  echo "-- $n concurrent streams"
  log "RESULT kind=java $(client stream --target direct --prefill "http://127.0.0.1:$SP_PORT" --decode "http://127.0.0.1:$SD_PORT" \
      --bootstrap-port $SP_BOOT --streams "$n" --tokens "$STREAM_TOKENS" --label direct)"
  log "RESULT kind=java $(client stream --target proxy --url "http://127.0.0.1:$SLB_PORT" \
      --streams "$n" --tokens "$STREAM_TOKENS" --label minilb)"
  log "RESULT kind=rss label=minilb-after-$n-streams vmhwm_kb=$(awk '/VmHWM/{print $2}' /proc/$PID_stream_lb/status) vmrss_kb=$(awk '/VmRSS/{print $2}' /proc/$PID_stream_lb/status)"
done

echo
"$BENCH/summarize.sh" "$RAW" | tee "$RESULTS/summary.md"
echo "results: $RESULTS"
