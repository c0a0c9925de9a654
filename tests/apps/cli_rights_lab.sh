#!/bin/sh
# cli_rights_lab.sh CAPSIM APPS_BUILD_DIR — docs/sdk.md's coursework
# example (app_rights_lab) as the page walks through it: the three
# variants print what the page says, the step listing shows the child's
# write refused, and `capsim analyze --check` with the page's rules finds
# violations in `vulnerable` and `readonly` (the job handle lets the child
# take over its parent) and none in `fixed`.
set -u
capsim=$1 apps=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_rights_lab: $*" >&2; exit 1; }
app="$apps/app_rights_lab.so"

"$capsim" run "$app" vulnerable >"$tmp/v.out" 2>&1 || fail "vulnerable exited $?: $(cat "$tmp/v.out")"
grep -q "^\[child\] child: write the secret: ZX_OK$" "$tmp/v.out" || fail "vulnerable: $(cat "$tmp/v.out")"
grep -q "parent: the secret is now 'pwned!!'" "$tmp/v.out" || fail "vulnerable: $(cat "$tmp/v.out")"
"$capsim" run "$app" readonly >"$tmp/r.out" 2>&1 || fail "readonly exited $?"
grep -q "write the secret: ZX_ERR_ACCESS_DENIED" "$tmp/r.out" || fail "readonly: $(cat "$tmp/r.out")"
grep -q "my job: ZX_OK, 2 found" "$tmp/r.out" || fail "readonly: $(cat "$tmp/r.out")"
"$capsim" run "$app" fixed >"$tmp/f.out" 2>&1 || fail "fixed exited $?"
grep -q "my job: ZX_ERR_BAD_HANDLE, 0 found" "$tmp/f.out" || fail "fixed: $(cat "$tmp/f.out")"
grep -q "parent: the secret is now 'hunter2'" "$tmp/f.out" || fail "fixed: $(cat "$tmp/f.out")"
"$capsim" run "$app" >"$tmp/u.out" 2>&1
[ $? -eq 2 ] || fail "no variant is not a usage error: $(cat "$tmp/u.out")"

"$capsim" trace --format=steps "$app" readonly >"$tmp/steps.txt" 2>&1 || fail "trace failed"
grep -q "child .*zx_vmo_write(.*) -> ZX_ERR_ACCESS_DENIED$" "$tmp/steps.txt" ||
    fail "no refused write in the listing"
# what the child printed reads right under the call it reports on
grep -A1 "child .*zx_vmo_write(.*) -> ZX_ERR_ACCESS_DENIED$" "$tmp/steps.txt" |
    grep -q "child  *| stdout: child: write the secret: ZX_ERR_ACCESS_DENIED$" ||
    fail "the child's print is not in the listing: $(cat "$tmp/steps.txt")"

printf '%s\n' 'assume process:app_rights_lab no-send' \
    'deny process:child control process:app_rights_lab' \
    'deny process:child reach vmo:secret with W' >"$tmp/rules.txt"
for v in vulnerable readonly fixed; do
    "$capsim" analyze --at-syscall=vmo_write --snapshot='#1' --check="$tmp/rules.txt" \
        "$app" $v >"$tmp/$v.check" 2>&1
    echo $? >"$tmp/$v.rc"
done
[ "$(cat "$tmp/vulnerable.rc")" = 1 ] || fail "vulnerable: no violation: $(cat "$tmp/vulnerable.check")"
grep -q "VIOLATION of .*rules.txt:3: deny process:child reach vmo:secret with W" "$tmp/vulnerable.check" ||
    fail "vulnerable: $(cat "$tmp/vulnerable.check")"
[ "$(cat "$tmp/readonly.rc")" = 1 ] || fail "readonly: no violation: $(cat "$tmp/readonly.check")"
grep -q "VIOLATION of .*rules.txt:2: deny process:child control process:app_rights_lab" "$tmp/readonly.check" ||
    fail "readonly: control not found: $(cat "$tmp/readonly.check")"
grep -q "zx_object_get_child gives it process 'app_rights_lab'" "$tmp/readonly.check" ||
    fail "readonly: no witness through the job: $(cat "$tmp/readonly.check")"
grep -q "note: the assume lines for process 'app_rights_lab' (koid [0-9]*) are void: process 'child' (koid [0-9]*) could control it" "$tmp/readonly.check" ||
    fail "readonly: the void declaration is not said: $(cat "$tmp/readonly.check")"
grep -q "note:" "$tmp/fixed.check" && fail "fixed: a note with nothing void: $(cat "$tmp/fixed.check")"
[ "$(cat "$tmp/fixed.rc")" = 0 ] || fail "fixed: $(cat "$tmp/fixed.check")"
grep -q "no violations of 3 rules" "$tmp/fixed.check" || fail "fixed: $(cat "$tmp/fixed.check")"
echo "cli_rights_lab: ok"
