#!/usr/bin/env bash
# check_demo.sh CAPSIM — golden-trace test: `capsim demo` under fixed seeds
# must print exactly the trace hashes recorded in demo.hashes (one line per
# run: "<args> <hash>"). Any change of behaviour, at any optimisation level
# or with sanitizers, shows up here. After an intended change, regenerate:
#   tests/golden/check_demo.sh build/scenarios/capsim --update
set -uo pipefail
capsim=$1
here=$(cd "$(dirname "$0")" && pwd)
golden=$here/demo.hashes
runs=("--seed 1" "--seed 2" "--seed 1 --cpus 1" "--seed 7 --cpus 4")
if [ "${2:-}" = "--update" ]; then
  : > "$golden"
  for args in "${runs[@]}"; do
    h=$("$capsim" demo $args | sed -n 's/^trace hash //p')
    echo "$args|$h" >> "$golden"
  done
  echo "updated $golden"
  exit 0
fi
pass=0 fail=0
while IFS='|' read -r args want; do
  got=$("$capsim" demo $args | sed -n 's/^trace hash //p')
  if [ "$got" = "$want" ]; then
    pass=$((pass + 1))
  else
    echo "capsim demo $args: trace hash $got, expected $want"
    fail=$((fail + 1))
  fi
done < "$golden"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
