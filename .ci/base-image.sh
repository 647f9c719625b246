# Builds the JRE base image from Debian's packages (no container registry answers here).
# Sourced by .ci/run; also usable alone: `bash .ci/base-image.sh [IMAGE]`.

build_base_image_if_missing() {
  local image=$1
  if docker image inspect "$image" >/dev/null 2>&1; then
    echo "ci: base image $image already exists"
    return
  fi
  local mirror rootfs
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs=$(mktemp -d /tmp/minilb-rootfs.XXXXXX)
  echo "ci: building $image with debootstrap from $mirror"
  if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" \
      >"$rootfs.log" 2>&1; then
    echo "ci: debootstrap failed; the end of its log:" >&2
    tail -n 30 "$rootfs.log" >&2
    rm -rf "$rootfs" "$rootfs.log"
    return 1
  fi
  tar -C "$rootfs" -c . | docker import - "$image" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  echo "ci: built $image"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  build_base_image_if_missing "${1:-minilb/jre17:local}"
fi
