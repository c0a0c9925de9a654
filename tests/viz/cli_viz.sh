#!/bin/sh
# cli_viz.sh — `capsim graph`, `capsim analyze` and `capsim trace` end to
# end: on an app (app_family: a parent and its children talking over
# channels) and on a packaged component (root_presenter in its sandbox).
# Checks outputs that must exist and parse, exit statuses, error messages
# naming what was wrong, and byte-identical output for equal seeds.
#   cli_viz.sh CAPSIM APPS_DIR PACKAGE.far
set -u
capsim=$1
apps=$2
far=$3
app="$apps/app_family.so"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
passes=0
py=/usr/bin/python3

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# ---- capsim graph -------------------------------------------------------------
"$capsim" graph --at-syscall=channel_write --list "$app" >"$work/list" 2>&1
check "graph --list exit 0" "[ $? -eq 0 ]"
check "graph --list names the syscall snapshots" "grep -q '#0  after zx_channel_write #1' '$work/list'"
check "graph --list ends with end" "grep -q ' end ' '$work/list'"

for f in svg png pdf dot json; do
  "$capsim" graph --at-syscall=channel_write --snapshot='#0' -o "$work/g.$f" "$app" 2>"$work/err"
  check "graph -o g.$f exit 0 ($(cat "$work/err"))" "[ $? -eq 0 ] && [ -s '$work/g.$f' ]"
done
check "svg parses" "$py -c \"import xml.dom.minidom,sys; xml.dom.minidom.parse('$work/g.svg')\""
check "png magic" "[ \"\$(head -c 8 '$work/g.png' | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ]"
check "pdf magic" "[ \"\$(head -c 5 '$work/g.pdf')\" = '%PDF-' ]"
check "dot has clusters" "grep -q 'subgraph cluster_' '$work/g.dot'"
check "json is node-link" "$py -c \"import json; d=json.load(open('$work/g.json')); assert d['multigraph'] and len(d['nodes'])>5 and len(d['links'])>5\""

"$capsim" graph --at-syscall=channel_write --snapshot='#0' -f dot "$app" >"$work/a.dot" 2>/dev/null
"$capsim" graph --at-syscall=channel_write --snapshot='#0' -f dot "$app" >"$work/b.dot" 2>/dev/null
"$capsim" graph --seed=2 --at-syscall=channel_write --snapshot='#0' -f dot --values "$app" >"$work/c.dot" 2>/dev/null
"$capsim" graph --seed=3 --at-syscall=channel_write --snapshot='#0' -f dot --values "$app" >"$work/d.dot" 2>/dev/null
check "same seed, byte-identical DOT" "cmp -s '$work/a.dot' '$work/b.dot'"
"$capsim" graph --at-syscall=channel_write --snapshot='#0' -f svg "$app" >"$work/a.svg" 2>/dev/null
"$capsim" graph --at-syscall=channel_write --snapshot='#0' -f svg "$app" >"$work/b.svg" 2>/dev/null
check "same seed, byte-identical SVG" "cmp -s '$work/a.svg' '$work/b.svg'"
check "handle values follow the seed" "! cmp -s '$work/c.dot' '$work/d.dot'"

"$capsim" graph --at-syscall=channel_write --diff='#0:#1' -o "$work/diff.svg" "$app" 2>"$work/diff.txt"
check "graph --diff exit 0" "[ $? -eq 0 ] && [ -s '$work/diff.svg' ]"
check "diff names causes" "grep -q 'zx_' '$work/diff.txt'"

"$capsim" graph --at-syscall=channel_write --snapshot='#0' --focus=process:app_family --hops=1 -f dot "$app" >"$work/focus.dot" 2>&1
check "graph --focus" "grep -q 'focus: process' '$work/focus.dot'"
"$capsim" graph --at-syscall=channel_write --snapshot='#0' --focus=process:app_family --hops=0 -f dot "$app" >/dev/null 2>"$work/err"
check "graph --hops=0: exit 2, named" "[ $? -eq 2 ] && grep -q -- '--hops=0' '$work/err'"
"$capsim" graph --at-syscall=channel_write --diff='#1:#0' -f dot "$app" >/dev/null 2>"$work/err"
check "graph --diff backwards: exit 2, the right order said" "[ $? -eq 2 ] && grep -q \"taken after '#0'.*--diff='#0:#1'\" '$work/err'"
"$capsim" graph --at-syscall=channel_write --focus=process:family-child -f dot "$app" >/dev/null 2>"$work/err"
check "graph --focus on a process gone by the end: exit 2, the snapshots that have it" "[ $? -eq 2 ] && grep -q \"in the snapshot 'end'; it is in snapshot\" '$work/err'"
# An unknown principal is a usage error in graph as in analyze.
"$capsim" graph --focus=process:nobody -f dot "$app" >/dev/null 2>"$work/err"
check "graph --focus unknown: exit 2, named" "[ $? -eq 2 ] && grep -q \"no process named 'nobody'\" '$work/err'"
"$capsim" analyze --reach=process:nobody "$app" >/dev/null 2>"$work/err"
check "analyze --reach unknown: exit 2, named" "[ $? -eq 2 ] && grep -q \"no process named 'nobody'\" '$work/err'"

"$capsim" graph --at-syscall=no_such_call "$app" >/dev/null 2>"$work/err"
check "unknown syscall: exit 2" "[ $? -eq 2 ]"
check "unknown syscall named" "grep -q no_such_call '$work/err'"
"$capsim" graph --snapshot=nowhere "$app" >/dev/null 2>"$work/err"
check "unknown snapshot: exit 2 and named" "[ $? -eq 2 ] && grep -q nowhere '$work/err'"
"$capsim" graph -o "$work/g.gif" -f gif "$app" >"$work/out" 2>"$work/err"
check "unknown format: exit 2 before the run, named" "[ $? -eq 2 ] && grep -q gif '$work/err' && [ ! -s '$work/out' ]"
"$capsim" graph -o "$work/g.jpg" "$app" >/dev/null 2>"$work/err"
check "unknown extension: exit 2, named, nothing written" \
  "[ $? -eq 2 ] && grep -q \"extension '.jpg'\" '$work/err' && [ ! -e '$work/g.jpg' ]"
"$capsim" graph -o "$work/graph" "$app" >/dev/null 2>"$work/err"
check "no extension: SVG" "[ $? -eq 0 ] && grep -q '<svg' '$work/graph'"
"$capsim" graph "$work/nothing.so" >/dev/null 2>"$work/err"
check "missing app: exit 127" "[ $? -eq 127 ]"

# ---- capsim analyze --------------------------------------------------------------
"$capsim" analyze --at-syscall=channel_write --snapshot='#0' --reach=process:app_family "$app" >"$work/reach" 2>"$work/err"
check "analyze --reach exit 0 ($(cat "$work/err"))" "[ $? -eq 0 ]"
check "reach report" "grep -q \"reach of process 'app_family'\" '$work/reach'"
cat >"$work/rules" <<'EOF'
# nothing under the app's job may hold the root job
deny job:app_family reach job:root
EOF
"$capsim" analyze --at-syscall=channel_write --snapshot='#0' --check="$work/rules" "$app" >"$work/check" 2>&1
check "check without violations: exit 0" "[ $? -eq 0 ] && grep -q 'no violations' '$work/check'"
printf 'deny job:app_family reach job:root\nallow everything\n' >"$work/badrules"
"$capsim" analyze --check="$work/badrules" "$app" >/dev/null 2>"$work/err"
check "bad rules: exit 2, file:line named" "[ $? -eq 2 ] && grep -q 'badrules:2:' '$work/err'"
printf 'deny job:app_family reach "job:root\n' >"$work/badrules2"
"$capsim" analyze --check="$work/badrules2" "$app" >/dev/null 2>"$work/err"
check "unterminated quote: exit 2, file:line and the reason named" "[ $? -eq 2 ] && grep -q 'badrules2:1: cannot split the line into words: .*quote' '$work/err'"
printf 'deny job:app_family reach job:root with ""\n' >"$work/badrules3"
"$capsim" analyze --check="$work/badrules3" "$app" >/dev/null 2>"$work/err"
check "empty rights: exit 2, named" "[ $? -eq 2 ] && grep -q \"badrules3:1: unknown rights ''\" '$work/err'"
# a violation: a child could be sent the parent's own process handle
printf 'deny process:family-child control process:app_family\n' >"$work/rules2"
"$capsim" analyze --at-syscall=channel_write --snapshot='#0' --check="$work/rules2" "$app" >"$work/check2" 2>&1
check "violation: exit 1 with a witness" "[ $? -eq 1 ] && grep -q 'VIOLATION of' '$work/check2' && grep -q '  1\. ' '$work/check2'"
"$capsim" analyze --at-syscall=channel_write --snapshot='#0' --reach=process:nobody "$app" >/dev/null 2>"$work/err"
check "unknown principal: exit 2, named" "[ $? -eq 2 ] && grep -q nobody '$work/err'"

# ---- capsim trace ------------------------------------------------------------------
# --debugging-syscalls reaches the watched run: app_image_memory's write
# into its victim succeeds with it and is NOT_SUPPORTED without.
"$capsim" trace --format=steps --debugging-syscalls "$apps/app_image_memory.so" >"$work/dbg.txt" 2>&1
check "trace --debugging-syscalls: the write succeeds" "grep -q 'zx_process_write_memory(.*buffer_size=4, .*) -> ZX_OK' '$work/dbg.txt'"
"$capsim" trace --format=steps "$apps/app_image_memory.so" >"$work/dbg.txt" 2>&1
check "trace without it: NOT_SUPPORTED" "grep -q 'zx_process_write_memory(.*) -> ZX_ERR_NOT_SUPPORTED' '$work/dbg.txt' && ! grep -q 'zx_process_write_memory(.*) -> ZX_OK' '$work/dbg.txt'"
"$capsim" trace --format=steps -o "$work/steps.txt" "$app"
check "trace steps exit 0" "[ $? -eq 0 ]"
check "steps decode calls" "grep -q 'zx_channel_write(handle=0x' '$work/steps.txt'"
check "steps show graph changes" "grep -q 'sent into channel\\|handle 0x' '$work/steps.txt'"
"$capsim" trace --format=perfetto -o "$work/trace.json" "$app"
check "perfetto parses" "$py -c \"import json; d=json.load(open('$work/trace.json')); e=d['traceEvents']; assert any(x['ph']=='X' for x in e) and any(x['ph']=='M' for x in e)\""
"$capsim" trace --format=jsonl -o "$work/trace.jsonl" "$app"
check "jsonl lines parse" "$py -c \"import json; n=sum(1 for l in open('$work/trace.jsonl') if json.loads(l)); assert n>100\""
# A record's named arguments never repeat its own fields (time, thread...):
# a JSON reader keeps only the last of two equal keys. A faulting app's
# trace has exception records.
"$capsim" trace --format=jsonl -o "$work/fault.jsonl" "$apps/app_faults.so" ill
check "jsonl keys unique (exception records included)" "$py -c \"
import json
def once(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
kinds = {json.loads(l, object_pairs_hook=once)['kind'] for l in open('$work/fault.jsonl')}
assert 'exception' in kinds, kinds
\""
"$capsim" trace --format=steps "$app" >"$work/s1" 2>/dev/null
"$capsim" trace --format=steps "$app" >"$work/s2" 2>/dev/null
check "steps byte-identical across runs" "cmp -s '$work/s1' '$work/s2'"
"$capsim" trace --format=xml "$app" >/dev/null 2>"$work/err"
check "unknown trace format: exit 2, named" "[ $? -eq 2 ] && grep -q \"unknown --format 'xml'\" '$work/err'"
"$capsim" trace "$app" >/dev/null 2>"$work/err"
check "trace without --format: exit 2, asks for one" "[ $? -eq 2 ] && grep -q 'give --format=' '$work/err'"

# An app that never ends (it loops through syscalls): --time-limit stops the
# run at that virtual time, the listing is written, the stop is said, status 4.
timeout 120 "$capsim" trace --format=steps --time-limit=1000000 -o "$work/spin.txt" \
  "$apps/app_faults.so" spin 2>"$work/err"
check "trace --time-limit: exit 4 ($(cat "$work/err"))" "[ $? -eq 4 ]"
check "trace --time-limit: the listing up to the limit" "grep -q 'zx_object_get_info' '$work/spin.txt'"
check "trace --time-limit: the stop is said" \
  "grep -q 'the run reached its time limit, 1000000 ns of virtual time' '$work/err'"
timeout 120 "$capsim" analyze --time-limit=1000000 --reach=process:app_faults \
  "$apps/app_faults.so" spin >"$work/out" 2>"$work/err"
check "analyze --time-limit: exit 4" "[ $? -eq 4 ] && grep -q 'holds now' '$work/out'"
"$capsim" graph --time-limit=-5 "$app" >/dev/null 2>"$work/err"
check "a negative --time-limit: exit 2, named" "[ $? -eq 2 ] && grep -q -- '--time-limit' '$work/err'"

# ---- a packaged component in its sandbox ---------------------------------------------
"$capsim" graph --package="$far" --at-syscall=channel_read --snapshot='#20' \
  --focus=component:root_presenter -f dot >"$work/comp.dot" 2>"$work/err"
check "component graph exit 0 ($(cat "$work/err"))" "[ $? -eq 0 ]"
check "component cluster" "grep -q 'component root_presenter' '$work/comp.dot'"
check "namespace paths on edges" "grep -q '/svc' '$work/comp.dot'"
"$capsim" analyze --package="$far" --at-syscall=channel_read --snapshot='#20' \
  --reach=component:root_presenter >"$work/creach" 2>&1
check "component reach" "grep -q \"reach of component 'root_presenter'\" '$work/creach'"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
