#!/usr/bin/env bash
# check_fallback.sh SRC DIR — the engine on its portable context switch
# (-Dfiber=ucontext: glibc's swapcontext), what a port without a
# hand-written switch gets. Builds the engine alone (-Dengine_only=true) in
# DIR, kept between runs, and runs its whole suite there: the same tests,
# and the same golden trace hash, as with the assembly switch.
set -euo pipefail
src=$1
dir=$2
. "$src/tests/second_build.sh"
second_build_setup "$src" "$dir" -Dengine_only=true -Dfiber=ucontext -Dbench=false
ninja -C "$dir" >/dev/null
meson test -C "$dir" --no-rebuild --print-errorlogs
