#!/usr/bin/env bash
# Installs what a Dialtone node and its test suite need and is missing: Debian packages (SIP peers for
# the end-to-end tests, speech and audio tools for the media engine, PostgreSQL for the second database
# run, load tools for the benchmarks, Chromium and a font for the designer's browser tests) and the npm
# dependencies. Safe to run again: it only installs what is not there yet. Works as root or through
# sudo, with no prompt (CI has no stdin).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(sip-tester linphone-cli baresip espeak-ng sox libsox-fmt-mp3 ffmpeg postgresql wrk chromium fonts-liberation)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo -n); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install: Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "install: Node.js 20 or newer is required, found $(node --version)" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install: npm dependencies"
  npm ci --no-fund --no-audit --loglevel=error
fi
