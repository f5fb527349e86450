#!/usr/bin/env bash
# Run the README's test command beside N busy loops (default 4), as on a shared CI machine, and report how long it
# took. Usage: tools/stress-test.sh [N]   (or: npm run stress-test -- N). Exits with the test command's status.
set -uo pipefail
cd "$(dirname "$0")/.."
n="${1:-4}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT INT TERM
for ((i = 0; i < n; i++)); do
  ( while :; do :; done ) &
  pids+=("$!")
done
echo "stress-test: $n busy loops on $(nproc) cores; running npm test"
start=$(date +%s)
npm test
status=$?
echo "stress-test: npm test exited $status after $(($(date +%s) - start)) s beside $n busy loops"
exit "$status"
