#!/usr/bin/env bash
# Installs the Debian packages the scale-out test and the benchmarks start: nginx (the
# load balancer in tests/scaleout), wrk (bench/load_pages.py) and goaccess (the web-log
# benchmark). Needs root or sudo; does nothing when all three are already there.
set -euo pipefail
missing=()
for package in nginx wrk goaccess; do  # each package's command has its name
  if ! command -v "$package" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$package" ]; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
