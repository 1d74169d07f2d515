#!/usr/bin/env bash
# Installs the Debian packages the tests and the benchmarks start: nginx (the load balancer
# in tests/scaleout), wrk (bench/load_pages.py), goaccess (the web-log benchmark) and
# clamav-daemon (the clamd that tests/security/test_malware_scan.py runs with its own
# one-signature database; freshclam is never run). Needs root or sudo; does nothing when
# all of them are already there.
set -euo pipefail
missing=()
for pair in nginx:nginx wrk:wrk goaccess:goaccess clamav-daemon:clamd; do  # package:command
  package="${pair%%:*}" command="${pair#*:}"
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command" ]; then
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
# Installing clamav-daemon would start clamd and freshclam, which downloads the signature
# database: a policy-rc.d that refuses every start keeps both stopped (the tests start
# their own clamd).
blocker=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  blocker=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$blocker" >/dev/null
  trap '$SUDO rm -f "$blocker"' EXIT
  $SUDO chmod 755 "$blocker"
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable clamav-freshclam clamav-daemon >/dev/null 2>&1 || true
fi
