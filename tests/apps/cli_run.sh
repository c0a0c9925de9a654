#!/bin/sh
# cli_run.sh CAPSIM APPS_BUILD_DIR APPS_SRC_DIR — `capsim run` from the
# outside: the same seed gives byte-identical reports, the exit status is
# the app's return code (a kill's never 0), `capsim component run` says
# how a packaged app ended, --env gives the app its environment,
# --debugging-syscalls lets a debugger write another process, a seed
# is 0..2^64-1 in every command, output is prefixed with the process
# name (stdout and stderr lines in the order written), a bad file (a pipe or a device too) gets a message naming it,
# the budget stops an endless loop, strict memory mode turns a stray
# pointer into another process (into a mapping or a heap block) into a
# page fault and leaves fault-free runs' trace hash alone; a deadlock names the
# mutexes it is stuck on by symbol, the same in every run; a local's
# address and the heap's blocks are the same in every run, whatever the
# host's ASLR (not in AddressSanitizer builds: CAPSIM_SANITIZE, from
# meson, says which).
set -u
capsim=$1 apps=$2 src=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_run: $*" >&2; exit 1; }

"$capsim" run --seed 5 --cpus 2 --strategy random --report "$tmp/a.json" \
    --trace "$tmp/a.trace" "$apps/app_family.so" 3 >"$tmp/a.out" 2>&1
rc=$?
[ $rc -eq 53 ] || fail "family exited $rc, not 53: $(cat "$tmp/a.out")"
"$capsim" run --seed 5 --cpus 2 --strategy random --report "$tmp/b.json" \
    "$apps/app_family.so" 3 >"$tmp/b.out" 2>&1
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "same seed, different reports"
cmp -s "$tmp/a.out" "$tmp/b.out" || fail "same seed, different output"
"$capsim" run --seed 6 --cpus 2 --strategy random --report "$tmp/c.json" \
    "$apps/app_family.so" 3 >/dev/null 2>&1
cmp -s "$tmp/a.json" "$tmp/c.json" && fail "seeds 5 and 6 gave the same report"
grep -q '"trace_hash"' "$tmp/a.json" || fail "no trace_hash in the report"
grep -q '"exit_code" : 53' "$tmp/a.json" || fail "no exit_code 53 in the report"
grep -q '"virtual_time_ns"' "$tmp/a.json" || fail "no virtual_time_ns in the report"
grep -q '"kind":"output"' "$tmp/a.trace" || fail "no output records in the trace"
grep -q '^\[app_family\] parent got: child 0 global 100$' "$tmp/a.out" || fail "output not prefixed: $(cat "$tmp/a.out")"
grep -q 'trace hash [0-9a-f]\{32\}' "$tmp/a.out" || fail "no trace hash printed"

"$capsim" run "$apps/app_faults.so" segv >"$tmp/d.out" 2>&1
rc=$?
[ $rc -eq 252 ] || fail "segv exited $rc, not 252 (-1028 & 255)"
grep -q 'exception (page fault at address 0x10: a null pointer), return code -1028' "$tmp/d.out" ||
    fail "segv not reported with its address: $(cat "$tmp/d.out")"

# A kill's -1024 has 0 as its low 8 bits: never shown as success.
"$capsim" run "$apps/app_faults.so" kill >"$tmp/k.out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "a killed app exited $rc, not 1"
grep -q 'killed by syscall, return code -1024' "$tmp/k.out" || fail "kill not reported: $(cat "$tmp/k.out")"

# `capsim component run` says how a packaged app ended, as `capsim run` does.
cp "$apps/app_faults.so" "$tmp/app.so"
printf 'bin/app=app.so\n' >"$tmp/manifest.txt"
"$capsim" far create --archive="$tmp/faults.far" --manifest="$tmp/manifest.txt" >/dev/null ||
    fail "cannot pack app_faults"
"$capsim" component run --package="$tmp/faults.far" -- segv >"$tmp/c.out" 2>&1
[ $? -eq 1 ] || fail "a crashed component is no success"
grep -q '^  faults exception (page fault at address 0x10: a null pointer), return code -1028$' "$tmp/c.out" ||
    fail "component crash not reported: $(cat "$tmp/c.out")"
"$capsim" component run --package="$tmp/faults.far" -- exit >"$tmp/c.out" 2>&1
grep -q '^  faults exited, return code 7$' "$tmp/c.out" ||
    fail "component exit not reported: $(cat "$tmp/c.out")"
# ... and `component run --debugging-syscalls` lets a packaged debugger
# write its victim (app_image_memory: the victim ends with 7, else 0).
cp "$apps/app_image_memory.so" "$tmp/app.so"
"$capsim" far create --archive="$tmp/image.far" --manifest="$tmp/manifest.txt" >/dev/null ||
    fail "cannot pack app_image_memory"
for flag in --debugging-syscalls ""; do
    "$capsim" component run $flag --package="$tmp/image.far" >"$tmp/c.out" 2>&1
    want=$([ -n "$flag" ] && echo 7 || echo 0)
    grep -q "the victim ended with $want\$" "$tmp/c.out" ||
        fail "component run $flag: $(cat "$tmp/c.out")"
done

# Both streams into one file keep the order the app wrote them in.
"$capsim" run "$apps/app_pipes.so" stdoutchild >"$tmp/o.out" 2>&1 ||
    fail "stdoutchild: $(cat "$tmp/o.out")"
head -n 3 "$tmp/o.out" | tr '\n' '|' | grep -qx \
    '\[app_pipes\] child: printf|\[app_pipes\] child: stderr|\[app_pipes\] child: write(1)|' ||
    fail "stdout and stderr out of order: $(cat "$tmp/o.out")"

# --env: the app's environment (none by default).
"$capsim" run --env GREETING=hello -e OTHER=x=y "$apps/app_syscalls.so" env >"$tmp/env.out" 2>&1 ||
    fail "--env GREETING=hello: $(cat "$tmp/env.out")"
grep -q '^\[app_syscalls\] out hello$' "$tmp/env.out" || fail "--env not seen: $(cat "$tmp/env.out")"
"$capsim" run "$apps/app_syscalls.so" env >/dev/null 2>&1 && fail "an environment without --env"
"$capsim" run --env NOEQUALS "$apps/app_syscalls.so" env >"$tmp/env.out" 2>&1
[ $? -eq 2 ] || fail "--env without = is not a usage error"
grep -q "NAME=VALUE" "$tmp/env.out" || fail "unclear --env error: $(cat "$tmp/env.out")"

"$capsim" run --budget-ms 100 --report "$tmp/e.json" "$apps/app_faults.so" loop >"$tmp/e.out" 2>&1
grep -q 'budget' "$tmp/e.out" || fail "budget stop not reported: $(cat "$tmp/e.out")"
grep -q '"budget_exceeded" : true' "$tmp/e.json" || fail "budget not in the report"

"$capsim" run "$src/app_plain.c" >"$tmp/f.out" 2>&1
rc=$?
[ $rc -eq 127 ] || fail "a non-ELF file exited $rc, not 127"
grep -q "app_plain.c: not an ELF file" "$tmp/f.out" || fail "unclear error: $(cat "$tmp/f.out")"
# A named pipe or a device as the app is refused at once (a plain read
# would wait for a writer, or never end).
mkfifo "$tmp/pipe.so" || fail "mkfifo"
for f in "$tmp/pipe.so" /dev/zero; do
    timeout 30 "$capsim" run "$f" >"$tmp/p.out" 2>&1
    rc=$?
    [ $rc -eq 127 ] && grep -q "$f.*not a regular file" "$tmp/p.out" ||
        fail "capsim run $f: exit $rc, $(cat "$tmp/p.out")"
done
"$capsim" run --strategy bogus "$apps/app_faults.so" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad option is not a usage error"
# --debugging-syscalls lets app_image_memory's monitor write its victim's
# flag (the victim ends with 7, not 0) and says so in the summary.
"$capsim" run --debugging-syscalls "$apps/app_image_memory.so" >"$tmp/dbg.out" 2>&1
grep -q "image-victim .* return code 7" "$tmp/dbg.out" && grep -q "debugging syscalls: on" "$tmp/dbg.out" ||
    fail "--debugging-syscalls: $(cat "$tmp/dbg.out")"
"$capsim" run "$apps/app_image_memory.so" >"$tmp/dbg.out" 2>&1
grep -q "image-victim .* return code 0" "$tmp/dbg.out" && ! grep -q "debugging syscalls" "$tmp/dbg.out" ||
    fail "without --debugging-syscalls: $(cat "$tmp/dbg.out")"
# A seed is 0..2^64-1: the largest runs and is printed as given; a negative
# one or one past the range is refused by every command, naming the value.
"$capsim" run --seed 18446744073709551615 "$apps/app_faults.so" return >"$tmp/s.out" 2>&1
[ $? -eq 3 ] || fail "the largest seed did not run: $(cat "$tmp/s.out")"
grep -q "seed 18446744073709551615," "$tmp/s.out" || fail "seed not printed: $(cat "$tmp/s.out")"
for cmd in "run" "graph" "demo" "component run"; do
    for bad in -1 18446744073709551616 7x; do
        $capsim $cmd --seed "$bad" "$apps/app_faults.so" >/dev/null 2>"$tmp/s.err"
        rc=$?
        [ $rc -eq 2 ] && grep -q -- "--seed $bad:" "$tmp/s.err" ||
            fail "capsim $cmd --seed $bad: exit $rc, $(cat "$tmp/s.err")"
    done
done

# The secret in a VMO mapping, then in a heap block (apps keep ASan's
# malloc in AddressSanitizer builds: no heap variant there).
case "${CAPSIM_SANITIZE:-none}" in *address*) heap_too= ;; *) heap_too=heap ;; esac
for where in "" $heap_too; do
"$capsim" run "$apps/app_stray.so" $where >"$tmp/g.out" 2>&1
grep -q "reader: read 'hunter2' through a stray pointer" "$tmp/g.out" ||
    fail "without strict memory the stray read ($where) should work: $(cat "$tmp/g.out")"
for mode in "" "--strict-memory-mode=mprotect"; do
    "$capsim" run --strict-memory $mode "$apps/app_stray.so" $where >"$tmp/h.out" 2>&1
    rc=$?
    [ $rc -eq 0 ] || fail "strict $mode $where: owner exited $rc"
    grep -q 'stray .*exception (page fault), return code -1028' "$tmp/h.out" ||
        fail "strict $mode $where: stray read not a page fault: $(cat "$tmp/h.out")"
    grep -q 'owner: the reader ended with return code -1028' "$tmp/h.out" ||
        fail "strict $mode $where: owner did not see the kill: $(cat "$tmp/h.out")"
    grep -q 'hunter2' "$tmp/h.out" && fail "strict $mode $where: the secret leaked"
    grep -q 'strict memory: on (\(pkey\|mprotect\))' "$tmp/h.out" ||
        fail "strict $mode $where: mechanism not reported"
done
done
"$capsim" run --seed 5 --cpus 2 --strategy random --strict-memory \
    "$apps/app_family.so" 3 >"$tmp/i.out" 2>&1
[ "$(grep 'trace hash' "$tmp/a.out")" = "$(grep 'trace hash' "$tmp/i.out")" ] ||
    fail "strict memory changed a fault-free run's trace hash"
"$capsim" run --strict-memory-mode bogus "$apps/app_stray.so" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad --strict-memory-mode is not a usage error"
for run in 1 2; do
    "$capsim" run "$apps/app_memory.so" >"$tmp/m$run.out" 2>&1 ||
        fail "app_memory failed: $(cat "$tmp/m$run.out")"
done
grep -q '^\[app_memory\] a local at 0x' "$tmp/m1.out" || fail "no local's address: $(cat "$tmp/m1.out")"
[ "$(grep 'a local at' "$tmp/m1.out")" = "$(grep 'a local at' "$tmp/m2.out")" ] ||
    fail "a local's address differs between runs"
# Globals too, where the host lets a program turn off its address
# randomization (capsim does it as setarch -R does; a container's seccomp
# filter may refuse both).
if setarch -R true 2>/dev/null; then
    cmp -s "$tmp/m1.out" "$tmp/m2.out" || fail "a global's address differs between runs"
    CAPSIM_HOST_ASLR=1 "$capsim" run "$apps/app_memory.so" >"$tmp/m3.out" 2>&1
    CAPSIM_HOST_ASLR=1 "$capsim" run "$apps/app_memory.so" >"$tmp/m4.out" 2>&1
    cmp -s "$tmp/m3.out" "$tmp/m4.out" && fail "CAPSIM_HOST_ASLR kept no randomization"
fi
case "${CAPSIM_SANITIZE:-none}" in
*address*)
    # ASan's own pthread_create comes first and cannot start a fiber: the
    # second thread never takes its lock, so there is no deadlock to see.
    echo "cli_run: ok (deadlock report skipped: pthreads need a build without AddressSanitizer)"
    exit 0 ;;
esac
for run in 1 2; do
    "$capsim" run --report "$tmp/dl$run.json" "$apps/app_faults.so" deadlock \
        >"$tmp/dl$run.out" 2>&1
    [ $? -eq 125 ] || fail "a deadlocked app did not exit 125: $(cat "$tmp/dl$run.out")"
done
cmp -s "$tmp/dl1.json" "$tmp/dl2.json" || fail "a deadlock's reports differ between runs"
grep -q "futex at app_faults.so+0x[0-9a-f]* (faults_lock_a+0)" "$tmp/dl1.json" ||
    fail "the deadlock report does not name the mutex: $(cat "$tmp/dl1.json")"
grep -q "futex at app_faults.so+0x[0-9a-f]* (faults_lock_b+0)" "$tmp/dl1.json" ||
    fail "the deadlock report does not name the mutex: $(cat "$tmp/dl1.json")"
for run in 1 2; do
    "$capsim" run "$apps/app_heap.so" >"$tmp/hp$run.out" 2>&1 ||
        fail "app_heap failed: $(cat "$tmp/hp$run.out")"
done
cmp -s "$tmp/hp1.out" "$tmp/hp2.out" || fail "the heap differs between runs"
echo "cli_run: ok"
