#!/usr/bin/env bash
# REGISTER benchmark; see bench/register/run.ts for the options (--rates, --seconds, --clients, --max-pending, --cpu-prof).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node --import tsx bench/register/run.ts "$@"
