# Makes sure headless Chromium and its chromedriver are installed, for the status page's browser test
# (io.minilb.browser). Sourced by .ci/run.

install_browser_if_missing() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    return
  fi
  echo "ci: installing chromium and chromium-driver"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
}
