#!/usr/bin/env bash
# Measures `crvs-comms check` as a whole process on generated catalogues:
# 2,000 notifications x 10 languages (20,000 SMS templates) and ten times that, reporting the
# median wall time of several runs, peak memory, and how the time grows with the input.
#
# Usage: bench/check.sh [RUNS]   (default 7 runs per size)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin="$PWD/target/release/crvs-comms"
python3 bench/generate.py 2000 10 "$work/small"
python3 bench/generate.py 20000 10 "$work/large"

measure() { # prints "median_seconds max_rss_kb"
  local file="$1" times=() rss=0
  for _ in $(seq "$runs"); do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$bin" --file "$file" check >/dev/null; } 2>&1 | tail -n 1)
    times+=("${out% *}")
    local kb="${out#* }"
    (( kb > rss )) && rss=$kb
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $rss"
}

read -r small_s small_kb < <(measure "$work/small/notifications.toml")
read -r large_s large_kb < <(measure "$work/large/notifications.toml")
echo "check, 2,000 notifications x 10 languages (20,000 templates): ${small_s} s, peak ${small_kb} KB"
echo "check, 20,000 notifications x 10 languages (200,000 templates): ${large_s} s, peak ${large_kb} KB"
awk -v a="$small_s" -v b="$large_s" 'BEGIN { if (a > 0) printf "10x the input took %.1fx the time\n", b / a }'
