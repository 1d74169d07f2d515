#!/usr/bin/env bash
# Installs the Debian libraries WeasyPrint loads for the PDFs (staff handbook, governors'
# report, transparency notice and DPIA): Pango, and HarfBuzz's subsetter, without which
# WeasyPrint 70 warns on import (an error under the test suite's warnings-as-errors) and
# embeds whole fonts. Needs root or sudo; does nothing if they are already there.
set -euo pipefail
if ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' && ldconfig -p | grep -q 'libpangoft2-1\.0\.so\.0'; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
ldconfig -p | grep 'libharfbuzz-subset\.so\.0'
