#!/usr/bin/env bash
# run_kernel.sh BUILD [BEFORE] PEERS REPS OUT — the syscall-path half of
# run.sh (KERNEL=1): bench_kernel's syscall, channel and event modes and
# bench_engine's wake, next to SimGrid's mailbox and semaphore ping-pong,
# every program pinned to CPU 1, REPS interleaved rounds, medians. With a
# BEFORE build dir (an older tree, same options) both builds run in every
# round and the table adds the median of the per-round after/before
# ratios ("paired"), the number to trust on a shared machine.
set -euo pipefail
build=$1 before=$2 peers=$3 reps=$4 out=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin() { if command -v taskset >/dev/null; then taskset -c 1 "$@"; else "$@"; fi; }
val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
have_sg=0
if g++ -O2 -std=c++17 -o "$tmp/sgbench" "$peers/simgrid/sgbench.cpp" \
     -lsimgrid 2>/dev/null; then
  have_sg=1
fi
sides=(after)
[ -n "$before" ] && sides=(before after)
: > "$out"
for r in $(seq "$reps"); do
  echo "== round $r/$reps" >&2
  for side in "${sides[@]}"; do
    b=$build
    [ "$side" = before ] && b=$before
    k=$b/tests/bench/bench_kernel
    echo "$side-syscall $(pin "$k" syscall 2000000 | val ns_per_op)" >> "$out"
    echo "$side-channel $(pin "$k" channel 500000 | val ns_per_op)" >> "$out"
    echo "$side-event $(pin "$k" event 500000 | val ns_per_op)" >> "$out"
    echo "$side-wake $(pin "$b/tests/bench/bench_engine" wake 1000000 | val ns_per_handoff)" >> "$out"
  done
  if [ "$have_sg" = 1 ]; then
    sg="pin $tmp/sgbench --cfg=contexts/factory:raw"
    echo "sg-mailbox $($sg pingpong 100000 2>/dev/null | val ns_per_rt)" >> "$out"
    echo "sg-sem $($sg sem 100000 2>/dev/null | val ns_per_rt)" >> "$out"
  fi
done

. "$(dirname "$0")/median.sh"
# median over rounds of after/before, pairing the i-th value of each
paired() {
  awk -v a="after-$1" -v b="before-$1" '$1==a {x[na++]=$2} $1==b {y[nb++]=$2}
    END { n = na < nb ? na : nb; if (!n) { print "-"; exit }
      for (i = 0; i < n; i++) v[i] = x[i] / y[i]
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
        if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      printf "%.2f\n", v[int((n - 1) / 2)] }' "$out"
}
row() { # label tag peer target
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(median "before-$2")" \
    "$(median "after-$2")" "$(paired "$2")" "$3" "$4"
}
printf '\n| what | before | after | after/before (paired) | SimGrid 3.32 raw | target (quiet) |\n'
printf '|---|---|---|---|---|---|\n'
row "simple syscall, dup + close (ns per syscall)" syscall - "<= 60"
row "channel round trip, two processes (ns)" channel \
  "$(median sg-mailbox) (mailbox), $(median sg-sem) (semaphores)" "<= 400"
row "eventpair round trip (ns)" event "$(median sg-sem) (semaphores)" -
row "wake a blocked waiter (ns per hand-off)" wake \
  "$(median sg-sem | awk '{ if ($1 == "-") print "-"; else printf "%.1f", $1 / 2 }') (semaphore hand-off)" "<= 100"
echo "raw: $out" >&2
