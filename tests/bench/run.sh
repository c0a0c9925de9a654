#!/usr/bin/env bash
# Engine benchmarks next to the shared peer (SimGrid 3.32) and physical
# baselines, all built here and run in ONE go so the numbers are comparable
# (the machines are shared and noisy: compare ratios within a run).
#
#   tests/bench/run.sh            # REPS=3 repetitions, medians
#   REPS=5 QUICK=1 tests/bench/run.sh
#   KERNEL=1 BEFORE=/path/to/old/build tests/bench/run.sh
#                                 # the syscall path instead: bench_kernel
#                                 # and the wake hand-off against SimGrid's
#                                 # mailbox and semaphore ping-pong; with
#                                 # BEFORE, an older build interleaved in
#                                 # the same rounds (paired ratios)
#
# Environment: BUILD (engine build dir, default <repo>/build-bench, set up
# with buildtype=release, invariants=false), PEERS (default
# <repo>/../shared/bench-peers), REPS, QUICK=1 (skip the 1M-thread and
# SimGrid 100k runs). Raw lines go to $OUT (default /tmp/capsim-bench.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
peers=${PEERS:-$repo/../shared/bench-peers}
build=${BUILD:-$repo/build-bench}
reps=${REPS:-3}
out=${OUT:-/tmp/capsim-bench.txt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -d "$build" ]; then
  meson setup "$build" "$repo" -Dbuildtype=release -Dinvariants=false \
    -Dbench=true >/dev/null
fi
ninja -C "$build" tests/bench/bench_engine tests/bench/bench_kernel \
  tests/bench/ring_probe >/dev/null
probe=$build/tests/bench/ring_probe
ours=$build/tests/bench/bench_engine

if [ -n "${KERNEL:-}" ]; then
  exec "$here/run_kernel.sh" "$build" "${BEFORE:-}" "$peers" "$reps" "$out"
fi

cc -O2 -o "$tmp/ctxswitch" "$peers/baseline/ctxswitch.c"
cc -O2 -o "$tmp/heapq" "$peers/baseline/heapq.c"
have_sg=0
if g++ -O2 -std=c++17 -o "$tmp/sgbench" "$peers/simgrid/sgbench.cpp" \
     -lsimgrid 2>/dev/null; then
  have_sg=1
fi

: > "$out"
rec() { echo "$1 $2" >> "$out"; }                 # tag value
val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
maxrss() { /usr/bin/time -f "maxrss_kib=%M" "$@" 2>&1 >/dev/null | val maxrss_kib; }

for r in $(seq "$reps"); do
  echo "== round $r/$reps" >&2
  rec ours-yield-10 "$($ours yield 10 2000000 | val ns_per_yield)"
  rec ours-yield-10k "$($ours yield 10000 200 | val ns_per_yield)"
  rec ours-yield-100k "$($ours yield 100000 40 | val ns_per_yield)"
  # the same on the shared ring's layout (16 KiB stacks, ours with a 16 KiB
  # guard each): how much of the 100k cost is the 256 KiB stacks' spacing
  rec ours-yield-100k-s16 "$($ours yield 100000 40 16 | val ns_per_yield)"
  rec ours-wake "$($ours wake 1000000 | val ns_per_handoff)"
  rec ours-hold-1M "$($ours hold 1000000 3000000 | val ns_per_hold)"
  rec ours-timers-1M "$($ours timers 1000000 2000000 | val ns_per_timer)"
  rec ours-mem-B "$($ours mem 100000 | val bytes_per_idle_thread)"
  rec ours-copy-overhead "$($ours copy 20000000 | val overhead_ns)"
  "$tmp/ctxswitch" asm 10000000 | awk '{print "base-asm-switch", $2}' >> "$out"
  for n in 10 10000 100000; do
    "$tmp/ctxswitch" ring $n 10000000 | awk -v n=$n '{print "base-ring-" n, $2}' >> "$out"
  done
  # the floor under the 100k yield: a bare ring with the engine's stack
  # spacing (256 KiB stacks + 16 KiB guards), then with the yield's cold
  # lines (two struct lines, two stack lines above the switch frame) and
  # its prefetch two threads ahead
  rec probe-100k-bare "$($probe 100000 272 1 0 0 10000000 | val ns_per_switch)"
  rec probe-100k-shape "$($probe 100000 272 2 2 2 10000000 | val ns_per_switch)"
  "$tmp/heapq" 3000000 | awk '$1=="Q=1000000"{print "base-hold-1M", $2}' >> "$out"
  r1=$(maxrss "$tmp/ctxswitch" ring 2 1000)
  r2=$(maxrss "$tmp/ctxswitch" ring 100000 200000)
  rec base-mem-B "$(( (r2 - r1) * 1024 / 100000 ))"
  if [ "$have_sg" = 1 ]; then
    sg="$tmp/sgbench --cfg=contexts/factory:raw"
    rec sg-yield-10 "$($sg yield 10 100000 2>/dev/null | val ns_per_op)"
    rec sg-yield-10k "$($sg yield 10000 50 2>/dev/null | val ns_per_op)"
    sem=$($sg sem 100000 2>/dev/null | val ns_per_rt)
    rec sg-wake "$(echo "$sem" | awk '{printf "%.1f", $1 / 2}')"
    m1=$($sg yield 1 10 2>/dev/null | val peak_rss_kib)
    m2=$($sg yield 10000 10 2>/dev/null | val peak_rss_kib)
    rec sg-mem-B "$(( (m2 - m1) * 1024 / 10000 ))"
    if [ -z "${QUICK:-}" ]; then
      rec sg-yield-100k "$(GLIBC_TUNABLES=glibc.malloc.mmap_max=1000000 \
        $sg --cfg=contexts/guard-size:0 yield 100000 20 2>/dev/null | val ns_per_op)"
    fi
  fi
done
if [ -z "${QUICK:-}" ]; then
  $ours yield 1000000 10 | tee -a "$out.1M" >&2
  rec ours-yield-1M "$(val ns_per_yield < "$out.1M")"
  rec ours-1M-peak-rss-kib "$(val peak_rss_kib < "$out.1M")"
  rm -f "$out.1M"
fi

. "$(dirname "$0")/median.sh"
printf '\n| what | capsim | physical baseline | SimGrid 3.32 raw | target |\n'
printf '|---|---|---|---|---|\n'
printf '| yield, 10 threads (ns) | %s | %s (ring 10) | %s | <= 30 |\n' \
  "$(median ours-yield-10)" "$(median base-ring-10)" "$(median sg-yield-10)"
printf '| yield, 10k threads (ns) | %s | %s | %s | - |\n' \
  "$(median ours-yield-10k)" "$(median base-ring-10000)" "$(median sg-yield-10k)"
printf '| yield, 100k threads (ns) | %s | %s | %s | <= 60 |\n' \
  "$(median ours-yield-100k)" "$(median base-ring-100000)" "$(median sg-yield-100k)"
printf '| yield, 100k threads, 16 KiB stacks (ns) | %s | %s (ring: 16 KiB stacks) | - | - |\n' \
  "$(median ours-yield-100k-s16)" "$(median base-ring-100000)"
printf '| ring with the 100k yield'"'"'s memory shape (ns) | - | %s bare, %s with its cold lines | - | - |\n' \
  "$(median probe-100k-bare)" "$(median probe-100k-shape)"
printf '| yield, 1M threads (ns) | %s | - | - (VMA limit) | runs |\n' \
  "$(median ours-yield-1M)"
printf '| wake a blocked waiter (ns) | %s | - | %s (sem hand-off) | <= 100 |\n' \
  "$(median ours-wake)" "$(median sg-wake)"
printf '| event-queue hold, 1M pending (ns) | %s | %s | - | <= 250 |\n' \
  "$(median ours-hold-1M)" "$(median base-hold-1M)"
printf '| timer through the engine, 1M pending (ns) | %s | - | - | - |\n' \
  "$(median ours-timers-1M)"
printf '| memory per idle thread (bytes) | %s | %s | %s | <= 8192 |\n' \
  "$(median ours-mem-B)" "$(median base-mem-B)" "$(median sg-mem-B)"
printf '| sim_safe_copy overhead over memcpy, 16 B (ns) | %s | - | - | < 10 |\n' \
  "$(median ours-copy-overhead)"
printf '| asm switch, 2 threads (ns) | - | %s | - | - |\n' "$(median base-asm-switch)"
if [ -n "$(median ours-1M-peak-rss-kib | grep -v -- -)" ]; then
  printf '\n1M threads: peak RSS %s KiB\n' "$(median ours-1M-peak-rss-kib)"
fi
# The targets as DESIGN.md states them: ratios in one run, to the physical
# baseline (target / limit there) and to SimGrid (target / SimGrid there).
printf '\n| per-round ratio (median) | to the bare ring | target | to SimGrid | target |\n'
printf '|---|---|---|---|---|\n'
printf '| yield, 10 threads | %s | 2.5 | %s | 0.31 |\n' \
  "$(ratio ours-yield-10 base-ring-10)" "$(ratio ours-yield-10 sg-yield-10)"
printf '| yield, 100k threads | %s | 2.86 | %s | 0.083 |\n' \
  "$(ratio ours-yield-100k base-ring-100000)" "$(ratio ours-yield-100k sg-yield-100k)"
printf '| yield, 100k threads, 16 KiB stacks | %s | 2.86 | %s | 0.083 |\n' \
  "$(ratio ours-yield-100k-s16 base-ring-100000)" \
  "$(ratio ours-yield-100k-s16 sg-yield-100k)"
printf '| wake a blocked waiter | - | - | %s | 0.23 |\n' "$(ratio ours-wake sg-wake)"
echo "raw: $out" >&2
