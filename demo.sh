#!/usr/bin/env bash
# The one-command demo: 2 prefill + 2 decode SGLang simulators behind mini-lb on port 8080.
# Builds the jars if they are missing, streams one chat answer, then serves your own requests
# until Ctrl-C, and stops everything it started.
#
# Every port can be moved with an environment variable (defaults in brackets). The simulators stay off SGLang's
# own defaults (30000 for HTTP, 8998 for bootstrap), so the demo runs next to a real SGLang server:
#   MINILB_PORT [8080]
#   PREFILL1_PORT [18000]  PREFILL1_BOOTSTRAP_PORT [18998]  PREFILL2_PORT [18001]  PREFILL2_BOOTSTRAP_PORT [18999]
#   DECODE1_PORT [18100]   DECODE2_PORT [18101]
# e.g. MINILB_PORT=9090 DECODE1_PORT=9100 ./demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

MINILB_PORT=${MINILB_PORT:-8080}
PREFILL1_PORT=${PREFILL1_PORT:-18000}
PREFILL1_BOOTSTRAP_PORT=${PREFILL1_BOOTSTRAP_PORT:-18998}
PREFILL2_PORT=${PREFILL2_PORT:-18001}
PREFILL2_BOOTSTRAP_PORT=${PREFILL2_BOOTSTRAP_PORT:-18999}
DECODE1_PORT=${DECODE1_PORT:-18100}
DECODE2_PORT=${DECODE2_PORT:-18101}
PORT_VARIABLES=(MINILB_PORT PREFILL1_PORT PREFILL1_BOOTSTRAP_PORT PREFILL2_PORT PREFILL2_BOOTSTRAP_PORT
                DECODE1_PORT DECODE2_PORT)
MINILB_JAR=bootstrap/target/mini-lb.jar
SIMULATOR_JAR=integration-tests/target/sglang-simulator.jar

# The ports are checked before anything is built or started, so a clash costs seconds, not a build.
declare -A claimed=()
for variable in "${PORT_VARIABLES[@]}"; do
  port=${!variable}
  if ! [[ $port =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
    echo "$variable=$port is not a port (1-65535)." >&2
    exit 1
  fi
  if [[ -n ${claimed[$port]:-} ]]; then
    echo "$variable and ${claimed[$port]} are both $port; give each its own port." >&2
    exit 1
  fi
  claimed[$port]=$variable
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port ($variable) is already in use; stop whatever listens there or move the demo," \
         "e.g. $variable=$((port + 10000)) ./demo.sh" >&2
    exit 1
  fi
done

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/mini-lb-demo.XXXXXX")
echo "Logs of this run: $LOGS"
pids=()

stop_all() {
  trap - EXIT INT TERM
  echo
  echo "Stopping mini-lb and the simulators..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped. Logs are in $LOGS"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Built on the first run, and again when a source changed since (e.g. after a pull), so no stale jar misses a flag.
stale() { # jar, source folders...
  local jar=$1; shift
  [[ ! -f $jar || -n $(find "$@" -type f -newer "$jar" -print -quit) ]]
}
if stale "$MINILB_JAR" domain/src/main application/src/main adapters-http-in/src/main adapters-http-out/src/main \
         bootstrap/src/main \
   || stale "$SIMULATOR_JAR" integration-tests/src/main; then
  echo "Building mini-lb and the simulator..."
  ./mvnw -B -q -DskipTests -DskipITs package
fi

start() { # name, command...
  local name=$1; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  pids+=("$!")
}

# Prose output (the simulator's default tokens are made to trip proxies up, not to be read). A decode spends 40 ms
# per output token, so the stream below visibly arrives token by token.
simulator() { exec java -jar "$SIMULATOR_JAR" --text prose "$@"; }
start prefill-1 simulator --mode prefill --port "$PREFILL1_PORT" --bootstrap-port "$PREFILL1_BOOTSTRAP_PORT" \
  --prefill-ms-per-token 1
start prefill-2 simulator --mode prefill --port "$PREFILL2_PORT" --bootstrap-port "$PREFILL2_BOOTSTRAP_PORT" \
  --prefill-ms-per-token 1
start decode-1 simulator --mode decode --port "$DECODE1_PORT" --decode-ms-per-token 40
start decode-2 simulator --mode decode --port "$DECODE2_PORT" --decode-ms-per-token 40
start mini-lb bin/mini-lb --port "$MINILB_PORT" \
  --prefill "http://127.0.0.1:$PREFILL1_PORT" "$PREFILL1_BOOTSTRAP_PORT" \
  --prefill "http://127.0.0.1:$PREFILL2_PORT" "$PREFILL2_BOOTSTRAP_PORT" \
  --decode "http://127.0.0.1:$DECODE1_PORT" --decode "http://127.0.0.1:$DECODE2_PORT"

wait_healthy() { # url
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$1/health"; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not become healthy; see the logs in $LOGS" >&2
  exit 1
}
for port in "$PREFILL1_PORT" "$PREFILL2_PORT" "$DECODE1_PORT" "$DECODE2_PORT" "$MINILB_PORT"; do
  wait_healthy "http://127.0.0.1:$port"
done

echo "mini-lb is up on http://127.0.0.1:$MINILB_PORT, in front of prefills on ports $PREFILL1_PORT and" \
     "$PREFILL2_PORT (bootstrap $PREFILL1_BOOTSTRAP_PORT, $PREFILL2_BOOTSTRAP_PORT) and decodes on $DECODE1_PORT and" \
     "$DECODE2_PORT (simulators)."
echo "It routes with its default policies: cache_aware for prefill (a prompt prefix stays on the prefill that has" \
     "it cached), power_of_two for decode (the less loaded of two)."
echo "Streaming a chat completion, token by token:"
echo
curl -sN "http://127.0.0.1:$MINILB_PORT/v1/chat/completions" \
  -H 'Content-Type: application/json' \
  -d '{"model": "default", "stream": true, "max_tokens": 24,
       "messages": [{"role": "user", "content": "Tell me about disaggregated serving"}]}' \
  | sed -un 's/^data: .*"content":"\(\([^"\\]\|\\.\)*\)".*/\1/p' \
  | sed -u -e 's/\\"/"/g' -e 's/\\t/\t/g' -e 's/\\\\/\\/g' \
  | while IFS= read -r token; do printf '%s' "$token"; done
echo
echo
echo "Try your own requests, for example:"
echo "  curl -s http://127.0.0.1:$MINILB_PORT/generate -H 'Content-Type: application/json' \\"
echo "       -d '{\"text\": \"The capital of France is\", \"sampling_params\": {\"max_new_tokens\": 8}}'"
echo "Watch it at http://127.0.0.1:$MINILB_PORT/status (workers, rates, latency) and /metrics (Prometheus)."
echo "Press Ctrl-C to stop."
wait
