#!/usr/bin/env bash
# The one-command demo: 2 prefill + 2 decode SGLang simulators behind mini-lb on port 8080.
# Builds the jars if they are missing, streams one chat answer, then serves your own requests
# until Ctrl-C, and stops everything it started.
#   ./demo.sh                       (MINILB_PORT=9090 ./demo.sh to use another port)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

MINILB_PORT=${MINILB_PORT:-8080}
MINILB_JAR=bootstrap/target/mini-lb.jar
SIMULATOR_JAR=integration-tests/target/sglang-simulator.jar
LOGS=$(mktemp -d /tmp/mini-lb-demo.XXXXXX)
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

if [[ ! -f $MINILB_JAR || ! -f $SIMULATOR_JAR ]]; then
  echo "Building mini-lb and the simulator (first run only)..."
  ./mvnw -B -q -DskipTests -DskipITs package
fi

for port in "$MINILB_PORT" 30000 30001 31000 31001 8998 8999; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use; stop whatever listens there (or set MINILB_PORT) and retry." >&2
    exit 1
  fi
done

start() { # name, command...
  local name=$1; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  pids+=("$!")
}

# A decode spends 40 ms per output token, so the stream below visibly arrives token by token.
start prefill-1 java -jar "$SIMULATOR_JAR" --mode prefill --port 30000 --bootstrap-port 8998 --prefill-ms-per-token 1
start prefill-2 java -jar "$SIMULATOR_JAR" --mode prefill --port 30001 --bootstrap-port 8999 --prefill-ms-per-token 1
start decode-1 java -jar "$SIMULATOR_JAR" --mode decode --port 31000 --decode-ms-per-token 40
start decode-2 java -jar "$SIMULATOR_JAR" --mode decode --port 31001 --decode-ms-per-token 40
start mini-lb bin/mini-lb --port "$MINILB_PORT" \
  --prefill http://127.0.0.1:30000 8998 --prefill http://127.0.0.1:30001 8999 \
  --decode http://127.0.0.1:31000 --decode http://127.0.0.1:31001

wait_healthy() { # url
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$1/health"; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not become healthy; see the logs in $LOGS" >&2
  exit 1
}
for url in http://127.0.0.1:30000 http://127.0.0.1:30001 http://127.0.0.1:31000 http://127.0.0.1:31001 \
           "http://127.0.0.1:$MINILB_PORT"; do
  wait_healthy "$url"
done

echo "mini-lb is up on http://127.0.0.1:$MINILB_PORT (2 prefill + 2 decode simulators)."
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
echo "Press Ctrl-C to stop."
wait
