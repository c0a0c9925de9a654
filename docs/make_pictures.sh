#!/bin/sh
# docs/make_pictures.sh — render the pictures of docs/graphs.md into
# docs/img/ with the capsim command line and the viz benchmark (nothing is
# drawn by hand). Run after building:  sh docs/make_pictures.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
capsim="$build/scenarios/capsim"
app="$build/tests/apps/app_family.so"
far="$build/model/sandbox/apps/root_presenter.far"
img="$here/img"
mkdir -p "$img"
at="--at-syscall=channel_write"

"$capsim" graph $at --snapshot='#0' -o "$img/family.png" "$app"
"$capsim" graph $at --snapshot='#0' -o "$img/family.svg" "$app"
"$capsim" graph $at --snapshot='#0' --focus=process:family-child --hops=2 --no-legend \
  -o "$img/family_focus.png" "$app"
"$capsim" graph $at --diff='#0:#1' --no-legend -o "$img/family_diff.png" "$app" 2>"$img/family_diff.txt"
printf 'deny process:family-child control process:app_family\n' >"$img/family_rules.txt"
(cd "$img" && "$capsim" analyze $at --snapshot='#0' --check=family_rules.txt "$app" >family_check.txt) || true
"$capsim" analyze $at --snapshot='#0' --reach=process:family-child --object=process:app_family \
  --draw="$img/family_witness.png" "$app" >/dev/null
"$capsim" graph --package="$far" --at-syscall=channel_read --snapshot='#20' \
  --focus=component:root_presenter --hops=2 --no-threads --no-legend -o "$img/component.png"
"$capsim" trace --format=steps "$app" | head -40 >"$img/family_steps.txt"
"$build/tests/bench/bench_viz" 12000 1 "$img/overview.svg" >/dev/null
echo "pictures in $img"
