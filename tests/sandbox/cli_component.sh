#!/usr/bin/env bash
# cli_component.sh CAPSIM FAR — `capsim component` from the command line:
# the demo package under grant-all and an allowlist, `plan`, and the errors
# users see for bad input (each must name the file and the problem).
set -uo pipefail
capsim=$1
far=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect NAME WANT_RC PATTERN -- command...
  local name=$1 want_rc=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want_rc" ] || ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (wanted $want_rc), wanted \"$pattern\" in:"
    echo "$out"
    fail=$((fail + 1))
  else
    echo "ok   $name"
  fi
}

expect grant-all 0 "drew the cursor, frame 1" -- \
  "$capsim" component run --package="$far" --data=passwords=hunter2
expect servers-idle 0 "  run: quiescent: 12 server threads idle" -- \
  "$capsim" component run --package="$far"
expect outside 0 "open /data/passwords: No such file or directory" -- \
  "$capsim" component run --package="$far" --data=passwords=hunter2
expect plan 0 "/dev/class/framebuffer dev:class/framebuffer" -- \
  "$capsim" component plan --package="$far"

echo '{"packages": {"root_presenter": {}}}' > "$tmp/deny.json"
expect allowlist-refuses 1 "refused: package 'root_presenter': sandbox request dev:class/framebuffer is not in the allowlist $tmp/deny.json" -- \
  "$capsim" component run --package="$far" --policy=allowlist --allowlist="$tmp/deny.json"
echo '{"packages": {"root_presenter": {"dev": ["class/framebuffer"]}}}' > "$tmp/allow.json"
expect allowlist-grants 0 "framebuffer 640x480" -- \
  "$capsim" component run --package="$far" --allowlist="$tmp/allow.json"

echo '{"packages": [' > "$tmp/broken.json"
expect broken-allowlist 2 "$tmp/broken.json: not valid JSON" -- \
  "$capsim" component run --package="$far" --allowlist="$tmp/broken.json"
# a null entry is named, with the file and what is wrong with it
echo '{"packages": {"root_presenter": null}}' > "$tmp/null.json"
expect null-allowlist-entry 2 "$tmp/null.json: packages entry \"root_presenter\" is null: an entry must be an object of the sandbox grants it allows" -- \
  "$capsim" component run --package="$far" --allowlist="$tmp/null.json"
echo 'not an archive' > "$tmp/junk.far"
expect junk-package 1 "package 'junk':" -- \
  "$capsim" component run --package="$tmp/junk.far"
# pkgfs cannot hold a file and a directory of one name: refused, not half-mounted
echo x > "$tmp/x"
printf 'bin/app=x\nbin/app/more=x\n' > "$tmp/clash.manifest"
"$capsim" far create --archive="$tmp/clash.far" --manifest="$tmp/clash.manifest"
expect file-dir-clash 1 "clash.far: package 'clash': 'bin/app' is a file and also the directory of 'bin/app/more'" -- \
  "$capsim" component run --package="$tmp/clash.far"
printf '{"name": ["list"]}' > "$tmp/meta_package"
printf 'bin/app=x\nmeta/package=meta_package\n' > "$tmp/badname.manifest"
"$capsim" far create --archive="$tmp/badname.far" --manifest="$tmp/badname.manifest"
expect meta-package-name-not-a-string 1 'meta/package: "name" is an array: it must be a string' -- \
  "$capsim" component run --package="$tmp/badname.far"
if grep -q CRITICAL <<<"$("$capsim" component run --package="$tmp/badname.far" 2>&1)"; then
  echo "FAIL meta-package-name-not-a-string: a GLib CRITICAL was printed"; fail=$((fail + 1))
fi
# --data: usage errors exit 2; two files that cannot both exist are refused
# up front instead of one being silently lost
expect data-no-path 2 "--data wants PATH=TEXT" -- \
  "$capsim" component run --package="$far" --data==text
expect data-file-and-dir 2 "--data a and --data a/b: a file cannot also be a directory" -- \
  "$capsim" component run --package="$far" --data=a=1 --data=a/b=2
expect data-dir-and-file 2 "--data a/b and --data a: a file cannot also be a directory" -- \
  "$capsim" component run --package="$far" --data=a/b=1 --data=a=2
expect data-twice 2 "--data x and --data x: the same file twice" -- \
  "$capsim" component run --package="$far" --data=x=1 --data=x=2
expect data-siblings 0 "drew the cursor" -- \
  "$capsim" component run --package="$far" --data=a=1 --data=ab/c=2 --data=a-b=3
# An output that cannot be written is a usage error before anything boots,
# as in every command (docs/automation.md).
expect trace-unwritable 2 "--trace $tmp/no/such/dir/t.jsonl: no such folder $tmp/no/such/dir" -- \
  "$capsim" component run --package="$far" --trace="$tmp/no/such/dir/t.jsonl"
expect no-package 2 "give at least one --package" -- "$capsim" component run
# Inputs are checked before anything is printed: a bad package leaves
# stdout empty (no header, no trace hash), only its error on stderr.
for bad in "$tmp/missing.far" "$tmp/junk.far" "$tmp/badname.far"; do
  out=$("$capsim" component run --package="$far" --package="$bad" 2>"$tmp/err")
  rc=$?
  if [ "$rc" = 1 ] && [ -z "$out" ] && grep -qF "$bad" "$tmp/err"; then
    echo "ok   bad-package-prints-nothing $(basename "$bad")"
  else
    echo "FAIL bad-package-prints-nothing $bad: exit $rc, stdout: $out"; fail=$((fail + 1))
  fi
done
expect bad-policy 2 "--policy is grant-all or allowlist" -- \
  "$capsim" component run --package="$far" --policy=maybe

# Same seed, same hash.
h1=$("$capsim" component run --package="$far" --seed=5 | tail -1)
h2=$("$capsim" component run --package="$far" --seed=5 | tail -1)
if [ "$h1" = "$h2" ] && [ -n "$h1" ]; then echo "ok   same-seed-same-hash"; else
  echo "FAIL same-seed-same-hash: $h1 / $h2"; fail=$((fail + 1)); fi
[ "$fail" -eq 0 ]
