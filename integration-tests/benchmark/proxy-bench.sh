#!/usr/bin/env bash
# What mini-lb costs as a proxy, measured against instant backends (nginx answering a canned SGLang JSON or SSE
# stream at once, as prefill and as decode), so that the backends are not the bottleneck. One interleaved run
# (each round visits every target in turn, so drifting machine noise hits all alike) compares, with wrk:
#   direct        wrk -> the decode backend itself (the floor; one call)
#   nginx-1call   nginx proxy_pass to the decode (one upstream call)
#   nginx-2call   nginx proxy_pass to the decode + mirror of the body to the prefill (the same two calls as mini-lb)
#   minilb        mini-lb via bin/mini-lb (its recommended JVM options), 1 prefill + 1 decode
#   minilb-base   optional: another mini-lb jar (BASE_JAR=path), e.g. the build before a change, for before/after
# JSON answers at CONCURRENCIES, SSE streams (SSE_FRAMES frames each) at SSE_CONCURRENCIES; then startup time to a
# healthy /health, idle RSS, and mini-lb's first measured round (c=64, straight after startup) vs its steady state.
# See docs/PERFORMANCE.md.
#
#   integration-tests/benchmark/proxy-bench.sh
#   PROFILE=1 integration-tests/benchmark/proxy-bench.sh   # also records mini-lb with JFR and prints its top frames
#
# Knobs (env): DURATION (s per measurement, 5), ROUNDS (3), CONCURRENCIES ("1 16 64 256"), SSE_CONCURRENCIES
# ("16 256"), SSE_FRAMES (16), NGINX_WORKERS (proxy nginx workers, auto), STARTUP_RUNS (5), BASE_JAR, PROFILE,
# MINILB_JAVA_OPTS (extra JVM options, passed to bin/mini-lb), RESULTS (dir).
# Needs: java 17 (with jfr for PROFILE), wrk, nginx (binary only, run as a non-daemon on temp configs), curl,
# python3, ss; the jar built (./mvnw -B -q -DskipTests -DskipITs package).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/integration-tests/benchmark"
DURATION="${DURATION:-5}"
ROUNDS="${ROUNDS:-3}"
CONCURRENCIES="${CONCURRENCIES:-1 16 64 256}"
SSE_CONCURRENCIES="${SSE_CONCURRENCIES:-16 256}"
SSE_FRAMES="${SSE_FRAMES:-16}"
NGINX_WORKERS="${NGINX_WORKERS:-auto}"
STARTUP_RUNS="${STARTUP_RUNS:-5}"
BASE_JAR="${BASE_JAR:-}"
PROFILE="${PROFILE:-0}"
RESULTS="${RESULTS:-$BENCH/results/proxy-$(date -u +%Y%m%dT%H%M%SZ)}"
LB_JAR="$ROOT/bootstrap/target/mini-lb.jar"

# Ports: instant backends (JSON, SSE), the proxy nginx's four servers, mini-lb (JSON, SSE, baseline x2, startup).
P=18100; D=18101; SP=18110; SD=18111; BOOT=8998
NG1=18120; NG2=18121; SNG1=18122; SNG2=18123
LB=18130; SLB=18131; BLB=18132; SBLB=18133; ST=18134

for tool in java wrk nginx curl python3 ss; do
  command -v "$tool" >/dev/null || { echo "proxy-bench.sh: $tool is required" >&2; exit 1; }
done
[ -f "$LB_JAR" ] || { echo "proxy-bench.sh: build $LB_JAR first (./mvnw -B -q -DskipTests -DskipITs package)" >&2; exit 1; }
[ -z "$BASE_JAR" ] || [ -f "$BASE_JAR" ] || { echo "proxy-bench.sh: BASE_JAR $BASE_JAR not found" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

for port in $P $D $SP $SD $BOOT $NG1 $NG2 $SNG1 $SNG2 $LB $SLB $BLB $SBLB $ST; do
  ! ss -Hltn "sport = :$port" | grep -q . || { echo "proxy-bench.sh: port $port is in use" >&2; exit 1; }
done
# shellcheck source=integration-tests/benchmark/common.sh
source "$BENCH/common.sh"
healthy() { # port [path]: 200 on /health, or on the path given
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1${2:-/health}" 2>/dev/null)" = 200 ]
}
wait_healthy() { # port [path]
  local deadline=$(( $(date +%s) + 60 ))
  until healthy "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "no 200 on port $1 ${2:-/health}" >&2; exit 1; }
    sleep 0.01
  done
}
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
cpu_ticks() { # pids...: user + system CPU of these processes and their children (nginx's workers), in clock ticks
  local pid total=0
  for pid in "$@" $(pgrep -P "$(echo "$@" | tr ' ' ,)" || true); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
minilb() { # name jar port prefill-port decode-port [extra JVM options]: starts it, sets LAST_PID
  local name="$1" jar="$2" port="$3" pp="$4" dp="$5" opts="${6:-}"
  MINILB_JAR="$jar" MINILB_JAVA_OPTS="${MINILB_JAVA_OPTS:-} $opts" "$ROOT/bin/mini-lb" --port "$port" \
      --prefill "http://127.0.0.1:$pp" "$BOOT" --decode "http://127.0.0.1:$dp" > "$RESULTS/$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}
# Besides wrk's figures, the CPU the serving process (the proxy, or the backend for direct) spent per request:
# unlike req/s, it hardly depends on what else the machine runs.
wrk_run() { # key=value labels... -- url concurrency bootstrap(0|1) stream(0|1) pid
  local labels=()
  while [ "$1" != -- ]; do labels+=("$1"); shift; done
  shift
  local threads=$(( $2 < 2 ? 1 : 2 )) out before after requests
  before=$(cpu_ticks "$5")
  out=$(BOOTSTRAP="$3" STREAM="$4" BOOTSTRAP_PORT=$BOOT timeout $(( DURATION + 60 )) \
      wrk -t"$threads" -c"$2" -d"${DURATION}s" --timeout 30s --latency -s "$BENCH/generate.lua" "$1" | grep '^WRK')
  after=$(cpu_ticks "$5")
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<< "$out")
  log "RESULT kind=wrk ${labels[*]} c=$2 ${out#WRK } cpu_us_per_req=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))"
}

log "# proxy-bench $(date -u +%FT%TZ): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
log "# java: $(java -version 2>&1 | head -1); nginx: $(nginx -v 2>&1 | cut -d/ -f2); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
log "# DURATION=$DURATION ROUNDS=$ROUNDS CONCURRENCIES='$CONCURRENCIES' SSE_CONCURRENCIES='$SSE_CONCURRENCIES' SSE_FRAMES=$SSE_FRAMES NGINX_WORKERS=$NGINX_WORKERS BASE_JAR=${BASE_JAR:-none} MINILB_JAVA_OPTS='${MINILB_JAVA_OPTS:-}'"
log "# load before: $(uptime)"

# ------------------------------------------------------------------ backends and nginx proxy
sse_body=""
for i in $(seq 1 "$SSE_FRAMES"); do
  sse_body+="data: {\\\"text\\\":\\\"$(printf 'x%.0s' $(seq 1 "$i"))\\\",\\\"meta_info\\\":{\\\"id\\\":\\\"0\\\",\\\"finish_reason\\\":null,\\\"prompt_tokens\\\":9,\\\"completion_tokens\\\":$i}}\\n\\n"
done
sse_body+='data: [DONE]\n\n'
sed -e "s#@DIR@#$TMP#g" -e "s/@PREFILL_PORT@/$P/" -e "s/@DECODE_PORT@/$D/" \
    "$BENCH/instant-backend.conf.template" > "$TMP/instant.conf"
SSE_BODY="$sse_body" python3 -c 'import os,sys; s=open(sys.argv[1]).read(); print(s.replace("@SSE_BODY@", os.environ["SSE_BODY"]).replace("@SSE_FRAMES@", sys.argv[2]), end="")' \
    "$BENCH/instant-stream-backend.conf.template" "$SSE_FRAMES" \
  | sed -e "s#@DIR@#$TMP#g" -e "s/@PREFILL_PORT@/$SP/" -e "s/@DECODE_PORT@/$SD/" > "$TMP/instant-stream.conf"
sed -e "s#@DIR@#$TMP#g" -e "s/@WORKERS@/$NGINX_WORKERS/" -e "s/@PREFILL_PORT@/$P/" -e "s/@DECODE_PORT@/$D/" \
    -e "s/@SSE_PREFILL_PORT@/$SP/" -e "s/@SSE_DECODE_PORT@/$SD/" -e "s/@ONE_CALL_PORT@/$NG1/" \
    -e "s/@TWO_CALL_PORT@/$NG2/" -e "s/@SSE_ONE_CALL_PORT@/$SNG1/" -e "s/@SSE_TWO_CALL_PORT@/$SNG2/" -e "s/@BOOTSTRAP_PORT@/$BOOT/" \
    "$BENCH/proxy-nginx.conf.template" > "$TMP/proxy.conf"
for conf in instant instant-stream proxy; do
  nginx -c "$TMP/$conf.conf" -p "$TMP" -e "$TMP/$conf-error.log" > "$RESULTS/nginx-$conf.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${conf//-/_}=$!"
done
wait_healthy $D; wait_healthy $SD; wait_healthy $BOOT
frames=$(curl -s -X POST -d '{}' "http://127.0.0.1:$SNG2/generate" | grep -c '^data: {' || true)
[ "$frames" = "$SSE_FRAMES" ] || { echo "the SSE backend sent $frames frames, not $SSE_FRAMES" >&2; exit 1; }

# ------------------------------------------------------------------ startup and idle RSS
# Wall time depends on the machine's load; the CPU time the process spent until healthy hardly does. /health is
# 200 once mini-lb serves; /readiness once it also finished warming up (--warm-up-secs).
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
echo "== startup (bin/mini-lb to first 200 on /health, then on /readiness), $STARTUP_RUNS runs"
for i in $(seq 1 "$STARTUP_RUNS"); do
  t0=$(date +%s%N)
  minilb "startup-$i" "$LB_JAR" $ST $P $D
  wait_healthy $ST
  ms=$(ms_since "$t0")
  cpu_ms=$(( $(cpu_ticks $LAST_PID) * 1000 / $(getconf CLK_TCK) ))
  wait_healthy $ST /readiness
  ready_ms=$(ms_since "$t0")
  sleep 2
  log "RESULT kind=startup run=$i ms=$ms cpu_ms=$cpu_ms ready_ms=$ready_ms idle_rss_kb=$(rss_kb $LAST_PID)"
  kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
done

# ------------------------------------------------------------------ first round (cold) vs steady state
# Straight after /health (traffic that comes while mini-lb warms up), then on a fresh process straight after
# /readiness (what a load balancer that follows the readiness probe sends).
echo "== first measured round, c=64, straight after /health"
minilb minilb-first "$LB_JAR" $LB $P $D
wait_healthy $LB
wrk_run body=json target=minilb round=first-at-health -- "http://127.0.0.1:$LB/generate" 64 0 0 $LAST_PID
kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
jfr_opt() { [ "$PROFILE" = 1 ] && echo "-XX:StartFlightRecording=filename=$RESULTS/$1.jfr,settings=profile" || true; }
minilb minilb "$LB_JAR" $LB $P $D "$(jfr_opt minilb)"; PID_LB=$LAST_PID
minilb minilb-sse "$LB_JAR" $SLB $SP $SD "$(jfr_opt minilb-sse)"; PID_SLB=$LAST_PID
wait_healthy $LB /readiness; wait_healthy $SLB /readiness
if [ -n "$BASE_JAR" ]; then
  minilb minilb-base "$BASE_JAR" $BLB $P $D; PID_BLB=$LAST_PID
  minilb minilb-base-sse "$BASE_JAR" $SBLB $SP $SD; PID_SBLB=$LAST_PID
  wait_healthy $BLB /readiness; wait_healthy $SBLB /readiness
fi
echo "== first measured round, c=64, straight after /readiness"
wrk_run body=json target=minilb round=first -- "http://127.0.0.1:$LB/generate" 64 0 0 $PID_LB
[ -z "$BASE_JAR" ] || wrk_run body=json target=minilb-base round=first -- "http://127.0.0.1:$BLB/generate" 64 0 0 $PID_BLB

# ------------------------------------------------------------------ interleaved rounds
targets() { # body: "name url bootstrap pid" per line
  if [ "$1" = json ]; then
    echo "direct http://127.0.0.1:$D/generate 1 $PID_instant"
    echo "nginx-1call http://127.0.0.1:$NG1/generate 1 $PID_proxy"
    echo "nginx-2call http://127.0.0.1:$NG2/generate 1 $PID_proxy"
    echo "minilb http://127.0.0.1:$LB/generate 0 $PID_LB"
    [ -z "$BASE_JAR" ] || echo "minilb-base http://127.0.0.1:$BLB/generate 0 $PID_BLB"
  else
    echo "direct http://127.0.0.1:$SD/generate 1 $PID_instant_stream"
    echo "nginx-1call http://127.0.0.1:$SNG1/generate 1 $PID_proxy"
    echo "nginx-2call http://127.0.0.1:$SNG2/generate 1 $PID_proxy"
    echo "minilb http://127.0.0.1:$SLB/generate 0 $PID_SLB"
    [ -z "$BASE_JAR" ] || echo "minilb-base http://127.0.0.1:$SBLB/generate 0 $PID_SBLB"
  fi
}
for body in json sse; do
  stream=$([ $body = sse ] && echo 1 || echo 0)
  list=$([ $body = sse ] && echo "$SSE_CONCURRENCIES" || echo "$CONCURRENCIES")
  for c in $list; do
    echo "== $body c=$c"
    for round in $(seq 1 "$ROUNDS"); do
      while read -r name url bootstrap pid; do
        wrk_run body=$body target="$name" round="$round" -- "$url" "$c" "$bootstrap" "$stream" "$pid"
      done < <(targets $body)
    done
  done
done
log "RESULT kind=rss target=minilb after=json vmhwm_kb=$(awk '/VmHWM/{print $2}' /proc/$PID_LB/status) vmrss_kb=$(rss_kb $PID_LB)"
log "RESULT kind=rss target=minilb after=sse vmhwm_kb=$(awk '/VmHWM/{print $2}' /proc/$PID_SLB/status) vmrss_kb=$(rss_kb $PID_SLB)"
[ -z "$BASE_JAR" ] || log "RESULT kind=rss target=minilb-base after=json vmhwm_kb=$(awk '/VmHWM/{print $2}' /proc/$PID_BLB/status)"
log "# load after: $(uptime)"

if [ "$PROFILE" = 1 ]; then
  kill "$PID_LB" "$PID_SLB"; wait "$PID_LB" "$PID_SLB" 2>/dev/null || true # JFR writes its file on exit
  for f in minilb minilb-sse; do "$BENCH/jfr-top.sh" "$RESULTS/$f.jfr" > "$RESULTS/$f-profile.txt"; done
fi
echo
python3 "$BENCH/proxy-summary.py" "$RAW" | tee "$RESULTS/summary.md"
echo "results: $RESULTS"
