# Functions that make sure a Docker engine answers. Sourced by .ci/run.

dockerd_pid=""
dockerd_log=""

install_docker_tools_if_missing() {
  if command -v docker >/dev/null && command -v dockerd >/dev/null && command -v debootstrap >/dev/null; then
    return
  fi
  echo "ci: installing docker.io and debootstrap"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io debootstrap
}

start_docker_engine_if_needed() {
  if docker info >/dev/null 2>&1; then
    echo "ci: a Docker engine already answers"
    return
  fi
  dockerd_log=$(mktemp /tmp/dockerd.XXXXXX.log)
  echo "ci: starting dockerd (log: $dockerd_log)"
  dockerd >"$dockerd_log" 2>&1 &
  dockerd_pid=$!
  local waited=0
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$dockerd_pid" 2>/dev/null; then
      echo "ci: dockerd exited while starting; its log:" >&2
      cat "$dockerd_log" >&2
      dockerd_pid=""
      return 1
    fi
    if ((waited >= 60)); then
      echo "ci: dockerd did not answer within 60 s; its log:" >&2
      tail -n 50 "$dockerd_log" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "ci: dockerd answers after ${waited} s"
}

# The EXIT trap: stops the dockerd this script started (and so its containerd), none other.
stop_docker_engine_if_started() {
  [[ -n $dockerd_pid ]] || return 0
  echo "ci: stopping the dockerd it started (pid $dockerd_pid)"
  kill "$dockerd_pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$dockerd_pid" 2>/dev/null && ((waited < 30)); do
    sleep 1
    waited=$((waited + 1))
  done
  if kill -0 "$dockerd_pid" 2>/dev/null; then
    echo "ci: dockerd still running after 30 s; killing it" >&2
    kill -9 "$dockerd_pid" 2>/dev/null || true
  fi
  dockerd_pid=""
}
