#!/bin/sh
# in_empty_dir.sh TEST [ARGS...] — run a test program from a fresh empty
# directory and fail if it leaves anything there: a test run by hand from
# a source or build folder must not litter it (files a test writes go to
# a scratch folder it removes, tests/viz/vtest.h).
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
test_program=$(realpath "$1") || exit 1
shift
(cd "$dir" && "$test_program" "$@")
rc=$?
left=$(ls -A "$dir")
if [ -n "$left" ]; then
  echo "FAIL: $(basename "$test_program") left files in the directory it ran from:" $left
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
