# second_build.sh — sourced by the tests that run the engine or the project
# in a build of their own, kept inside the main build directory between
# runs (golden/check_other_build.sh, sim/check_fallback.sh,
# cross/check_aarch64.sh).
#
#   second_build_setup SRC DIR [meson options...]
#     configures DIR from SRC with those options the first time; later
#     runs keep it (ninja then rebuilds only what changed).
second_build_setup() {
  local src=$1 dir=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    rm -rf "$dir"
    meson setup "$dir" "$src" "$@" >/dev/null
  fi
}
