# Shared by run.sh and proxy-bench.sh (sourced, after RESULTS is set): the results folder with its raw.txt, a
# temporary folder, the processes the script starts (add their pids to PIDS), all cleaned up on exit, and log,
# which prints a line and keeps it in raw.txt.
mkdir -p "$RESULTS"
TMP="$(mktemp -d)"
RAW="$RESULTS/raw.txt"
: > "$RAW"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

log() { echo "$*" | tee -a "$RAW"; }
