#!/usr/bin/env bash
# What `npm test` needs from Debian besides Node (run as its pretest): Chromium, in which the HTML
# reports are opened, and a Java runtime for AWS's DynamoDB Local. Installed with apt-get when
# missing (as root, or with sudo that asks no password); otherwise it says what to install.
# TEST_PACKAGES_DRY_RUN=1 only prints the command it would run.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
java_cmd="${JAVA_CMD:-java}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v "$java_cmd" > /dev/null 2>&1 || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
install="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"
if [ "${TEST_PACKAGES_DRY_RUN:-}" = "1" ]; then
  echo "would run: $install"
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "npm test: installing Debian's ${missing[*]} (the tests' browser and DynamoDB Local's Java)…" >&2
  bash -c "$install" > /dev/null
elif sudo -n true 2> /dev/null; then
  echo "npm test: installing Debian's ${missing[*]} with sudo…" >&2
  sudo bash -c "$install" > /dev/null
else
  echo "npm test needs Debian's ${missing[*]}: run  sudo apt-get install -y ${missing[*]}  (or .ci/run as root)" >&2
  exit 1
fi
