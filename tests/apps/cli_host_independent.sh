#!/bin/sh
# cli_host_independent.sh CAPSIM APPS_BUILD_DIR DEMO_PACKAGE — what a run
# prints, reports and traces depends on its seed and inputs only, never on
# the host process around it:
#  - where the host's loader put the app's copy: a fault in app code at an
#    address that moves with address randomization (an instruction in the
#    app's image, a host mapping) gives the same report and trace hash with
#    capsim's fixed layout and with CAPSIM_HOST_ASLR (the host's
#    randomization kept, as where a seccomp filter refuses to turn it off);
#  - the working directory and the environment (time zone, locale, HOME,
#    any other variable): reports, JSON-lines traces, step listings, DOT
#    graphs and the demo's output are byte-identical from two directories
#    under two environments.
set -u
capsim=$(realpath "$1") apps=$(realpath "$2") package=$(realpath "$3")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_host_independent: $*" >&2; exit 1; }

# A fault's address enters the trace only in the deterministic form the
# engine's fault record gives it, so a moved image changes nothing.
if setarch -R true 2>/dev/null; then
    for what in ill fpe bus segv; do
        "$capsim" run --report "$tmp/fixed-$what.json" "$apps/app_faults.so" "$what" \
            >/dev/null 2>&1
        for run in 1 2; do
            CAPSIM_HOST_ASLR=1 "$capsim" run --report "$tmp/aslr-$what-$run.json" \
                "$apps/app_faults.so" "$what" >/dev/null 2>&1
            cmp -s "$tmp/fixed-$what.json" "$tmp/aslr-$what-$run.json" ||
                fail "app_faults $what: the report follows the host's address randomization:
$(diff "$tmp/fixed-$what.json" "$tmp/aslr-$what-$run.json")"
        done
        grep -q '"fault"' "$tmp/fixed-$what.json" ||
            fail "app_faults $what did not fault: $(cat "$tmp/fixed-$what.json")"
    done
fi

# The same commands from two directories, under two environments.
one_host() { # DIR, then env assignments
    dir=$1
    shift
    mkdir -p "$dir"
    (
        cd "$dir" || exit 1
        env "$@" "$capsim" run --seed 3 --cpus 2 --strategy random --report report.json \
            --trace trace.jsonl "$apps/app_family.so" >run.out 2>&1
        env "$@" "$capsim" trace --format=steps --seed 2 "$apps/app_family.so" >steps.txt 2>&1
        env "$@" "$capsim" graph --format=dot --values --seed 2 --package="$package" \
            >graph.dot 2>&1
        env "$@" "$capsim" demo --seed 5 --cpus 2 >demo.out 2>&1
    ) || fail "could not run in $dir"
}
one_host "$tmp/a" TZ=UTC LANG=C LC_ALL=C HOME="$tmp/a"
one_host "$tmp/b/deeper/still" TZ=Pacific/Chatham LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 \
    HOME=/nonexistent TMPDIR=/nonexistent USER=nobody GREETING=hi
for f in run.out report.json trace.jsonl steps.txt graph.dot demo.out; do
    [ -s "$tmp/a/$f" ] || fail "$f is empty"
    cmp -s "$tmp/a/$f" "$tmp/b/deeper/still/$f" ||
        fail "$f differs between two directories and environments:
$(diff "$tmp/a/$f" "$tmp/b/deeper/still/$f" | head -20)"
done
grep -q '^trace hash [0-9a-f]\{32\}$' "$tmp/a/demo.out" || fail "the demo printed no hash"
echo "cli_host_independent: ok"
