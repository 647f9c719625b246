#!/usr/bin/env bash
# Issue 9's fault scenario: 2 prefill + 2 decode simulators behind mini-lb, CLIENTS closed-loop clients for
# DURATION s; one decode is killed (kill -9) at KILL_AT s and restarted on the same port at RESTART_AT s. Prints how
# many requests failed, and when the restarted decode got traffic again. STREAM_CLIENTS more clients stream their
# answers; a stream fails when it does not end with [DONE] free of an error event, and those that failed are split by
# whether they started before the kill (they may have been on the killed decode) or after. See docs/RELIABILITY.md.
#
#   integration-tests/benchmark/fault.sh
#
# Knobs (env): CLIENTS (16), STREAM_CLIENTS (4), DURATION (14), KILL_AT (3), RESTART_AT (8), MS_PER_TOKEN (5), TOKENS (8),
# RECOVERY_WAIT (s to wait for the restarted decode's first request, 30),
# LB_FLAGS (extra mini-lb flags, e.g. "--disable-retries"). Needs java 17, curl. Builds nothing: run
# ./mvnw -B -q -DskipTests -DskipITs package first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLIENTS="${CLIENTS:-16}"; STREAM_CLIENTS="${STREAM_CLIENTS:-4}"; DURATION="${DURATION:-14}"; KILL_AT="${KILL_AT:-3}"; RESTART_AT="${RESTART_AT:-8}"
MS_PER_TOKEN="${MS_PER_TOKEN:-5}"; TOKENS="${TOKENS:-8}"; LB_FLAGS="${LB_FLAGS:-}"; RECOVERY_WAIT="${RECOVERY_WAIT:-30}"
LB_JAR="$ROOT/bootstrap/target/mini-lb.jar"
SIM_JAR="$ROOT/integration-tests/target/sglang-simulator.jar"
P1=30300; P2=30301; B1=8993; B2=8994; D1=31300; D2=31301; LB=8380
for f in "$LB_JAR" "$SIM_JAR"; do [ -f "$f" ] || { echo "fault.sh: $f missing; build first" >&2; exit 1; }; done

TMP="$(mktemp -d)"
PIDS=()
stop_all() { for pid in "${PIDS[@]:-}"; do kill "$pid" 2>/dev/null || true; done; }
trap 'stop_all; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

sim() { # log, args...
  local log=$1; shift
  java -jar "$SIM_JAR" "$@" >"$TMP/$log.log" 2>&1 &
  PIDS+=("$!")
}
wait_up() { # url [path]: 200 on /health, or on the path given
  for _ in $(seq 1 600); do curl -fs -o /dev/null "$1${2:-/health}" && return 0; sleep 0.05; done
  echo "$1 not up" >&2; exit 1
}

sim prefill-1 --mode prefill --port $P1 --bootstrap-port $B1 --prefill-ms-per-token 1
sim prefill-2 --mode prefill --port $P2 --bootstrap-port $B2 --prefill-ms-per-token 1
sim decode-1 --mode decode --port $D1 --decode-ms-per-token "$MS_PER_TOKEN"
victim_log=decode-2
java -jar "$SIM_JAR" --mode decode --port $D2 --decode-ms-per-token "$MS_PER_TOKEN" >"$TMP/$victim_log.log" 2>&1 &
victim=$!
PIDS+=("$victim")
for url in http://127.0.0.1:$P1 http://127.0.0.1:$P2 http://127.0.0.1:$D1 http://127.0.0.1:$D2; do wait_up "$url"; done
# shellcheck disable=SC2086 # LB_FLAGS is a list of flags
java -jar "$LB_JAR" --port $LB --policy round_robin \
  --prefill http://127.0.0.1:$P1 $B1 --prefill http://127.0.0.1:$P2 $B2 \
  --decode http://127.0.0.1:$D1 --decode http://127.0.0.1:$D2 $LB_FLAGS >"$TMP/mini-lb.log" 2>&1 &
PIDS+=("$!")
wait_up http://127.0.0.1:$LB /readiness # warmed up (--warm-up-secs), so its CPU does not overlap the scenarios

body="{\"text\":\"fault scenario\",\"sampling_params\":{\"max_new_tokens\":$TOKENS}}"
start=$(date +%s%N)
client() { # id: one request at a time until DURATION, a line "elapsed_ms status" per request
  local end=$((start + DURATION * 1000000000))
  while [ "$(date +%s%N)" -lt "$end" ]; do
    code=$(curl -s -o /dev/null -m 30 -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" \
      "http://127.0.0.1:$LB/generate" || true)
    echo "$(( ($(date +%s%N) - start) / 1000000 )) $code"
  done > "$TMP/client-$1.txt"
}
stream_body="{\"text\":\"fault scenario\",\"stream\":true,\"sampling_params\":{\"max_new_tokens\":$TOKENS}}"
stream_client() { # id: one stream at a time until DURATION, a line "started_ms ok|failed" per stream
  local end=$((start + DURATION * 1000000000)) began out
  while [ "$(date +%s%N)" -lt "$end" ]; do
    began=$(( ($(date +%s%N) - start) / 1000000 ))
    out=$(curl -sN -m 30 -H 'Content-Type: application/json' -d "$stream_body" \
      "http://127.0.0.1:$LB/generate" || true)
    if grep -q '^data: \[DONE\]' <<<"$out" && ! grep -q '^data: {"error"' <<<"$out"; then
      echo "$began ok"
    else
      echo "$began failed"
    fi
  done > "$TMP/stream-$1.txt"
}
CLIENT_PIDS=()
for i in $(seq 1 "$CLIENTS"); do client "$i" & CLIENT_PIDS+=("$!"); done
for i in $(seq 1 "$STREAM_CLIENTS"); do stream_client "$i" & CLIENT_PIDS+=("$!"); done

sleep "$KILL_AT"; kill -9 "$victim"; wait "$victim" 2>/dev/null || true; echo "killed the decode on :$D2 at ${KILL_AT} s"
sleep $((RESTART_AT - KILL_AT))
java -jar "$SIM_JAR" --mode decode --port $D2 --decode-ms-per-token "$MS_PER_TOKEN" >"$TMP/$victim_log-restarted.log" 2>&1 &
PIDS+=("$!")
restarted_ns=$(date +%s%N)
echo "restarted it at ${RESTART_AT} s"
wait_up http://127.0.0.1:$D2
before=$(curl -fs "http://127.0.0.1:$D2/_sim/state" | grep -o '"/generate":[0-9]*' | cut -d: -f2 || echo 0)
back=""
# Past the clients' run if need be (a request of its own every 100 ms keeps traffic flowing), up to RECOVERY_WAIT s.
while [ "$(date +%s%N)" -lt $((restarted_ns + RECOVERY_WAIT * 1000000000)) ]; do
  curl -s -o /dev/null -m 30 -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$LB/generate" || true
  now=$(curl -fs "http://127.0.0.1:$D2/_sim/state" | grep -o '"/generate":[0-9]*' | cut -d: -f2 || echo 0)
  if [ "${now:-0}" -gt "${before:-0}" ]; then back=$(( ($(date +%s%N) - restarted_ns) / 1000000 )); break; fi
  sleep 0.1
done
wait "${CLIENT_PIDS[@]}"

cat "$TMP"/client-*.txt > "$TMP/all.txt"
total=$(wc -l < "$TMP/all.txt"); failed=$(awk '$2 != 200' "$TMP/all.txt" | wc -l)
echo "requests: $total, failed: $failed ($(awk -v f="$failed" -v t="$total" 'BEGIN { printf "%.2f", t ? 100 * f / t : 0 }')%)"
awk '$2 != 200 { print "  failed at " $1 " ms: HTTP " $2 }' "$TMP/all.txt" | sort -n -k3 | head -20
if [ "$STREAM_CLIENTS" -gt 0 ]; then
  cat "$TMP"/stream-*.txt > "$TMP/streams.txt"
  echo "streams: $(wc -l < "$TMP/streams.txt"), failed: $(awk '$2 == "failed"' "$TMP/streams.txt" | wc -l)" \
    "(started before the kill: $(awk -v k=$((KILL_AT * 1000)) '$2 == "failed" && $1 < k' "$TMP/streams.txt" | wc -l);" \
    "after: $(awk -v k=$((KILL_AT * 1000)) '$2 == "failed" && $1 >= k' "$TMP/streams.txt" | wc -l))"
fi
echo "restarted decode got traffic again: ${back:-not within $RECOVERY_WAIT s} ms after its restart"
