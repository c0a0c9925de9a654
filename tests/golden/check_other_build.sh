#!/usr/bin/env bash
# check_other_build.sh SRC DIR — the engine's promise that a seed gives the
# same trace hash in every build, checked in a second build of the project:
# -O0 with AddressSanitizer, configured in DIR (kept between runs, so only
# the first run compiles everything). There, the engine tests (sim suite,
# whose determinism test holds a golden hash) and the demo's golden hashes
# (check_demo.sh) must pass exactly as in the main build, which is -O2
# without sanitizers. AddressSanitizer also turns any use-after-free or
# overflow on the way into a failure, and LeakSanitizer any memory a
# freed system left behind (the demo boots and frees three).
set -euo pipefail
src=$1
dir=$2
. "$src/tests/second_build.sh"
second_build_setup "$src" "$dir" -Dbuildtype=debug -Db_sanitize=address -Dbench=false
# Regenerate first: a test added since the last run must be in the list.
ninja -C "$dir" build.ninja >/dev/null
targets=$(cd "$dir" && meson introspect --tests |
  /usr/bin/python3 -c 'import json, sys
for t in json.load(sys.stdin):
    if "sim" in t["suite"][0].split(":")[-1:]:
        print(t["cmd"][0])')
ninja -C "$dir" scenarios/capsim $(for t in $targets; do realpath --relative-to="$dir" "$t"; done) >/dev/null
export ASAN_OPTIONS=detect_leaks=1
meson test -C "$dir" --no-rebuild --suite sim --print-errorlogs
"$src/tests/golden/check_demo.sh" "$dir/scenarios/capsim"
