#!/usr/bin/env bash
# Calls benchmark; see bench/calls/run.ts for the options (--rates, --seconds, --hold, --rtp-ports, --cpu-prof, --trace-msg).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node --import tsx bench/calls/run.ts "$@"
