#!/bin/sh
# sdk_install.sh BUILD_DIR HELLO_C — the SDK as a user gets it: install the
# build into a scratch prefix, compile the README's example app with
# exactly `cc -shared -fPIC $(pkg-config --cflags --libs capsim-app)`, run
# it with the installed `capsim run`; same with capsim-app-instrumented.
# And straight from the build tree, as a developer builds against it:
# meson's uninstalled variant of capsim-app, the build's `capsim run`.
set -u
build=$1 hello=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "sdk_install: $*" >&2; exit 1; }

bflags=$(PKG_CONFIG_PATH="$build/meson-uninstalled" pkg-config --cflags --libs capsim-app) ||
    fail "pkg-config capsim-app (uninstalled) failed"
# This build's library and headers, not an installed SDK's (/usr/local).
build_abs=$(cd "$build" && pwd)
echo " $bflags " | grep -q -- " -L$build_abs " || fail "uninstalled flags miss -L$build_abs: $bflags"
hdr=
for f in $bflags; do
    case $f in -I*) [ -f "${f#-I}/zircon/syscalls.h" ] && hdr=${f#-I} ;; esac
done
[ -n "$hdr" ] || fail "uninstalled flags name no directory with <zircon/syscalls.h>: $bflags"
cc -shared -fPIC $bflags "$hello" -o "$tmp/hello-b.so" ||
    fail "cannot build hello.so against the build tree with: $bflags"
out=$("$build/scenarios/capsim" run "$tmp/hello-b.so" 2>&1) || fail "build tree's capsim run failed: $out"
echo "$out" | grep -q 'got ping through a channel' || fail "unexpected output (build tree): $out"
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/install.log" 2>&1 ||
    fail "meson install failed: $(tail -5 "$tmp/install.log")"
prefix=$(find "$tmp/root" -name capsim-app.pc | head -1)
[ -n "$prefix" ] || fail "no capsim-app.pc installed"
pcdir=$(dirname "$prefix")
root=$(sed -n 's/^prefix=//p' "$prefix")
export PKG_CONFIG_PATH="$pcdir"
flags=$(pkg-config --define-variable=prefix="$tmp/root$root" --cflags --libs capsim-app) ||
    fail "pkg-config capsim-app failed"
iflags=$(pkg-config --define-variable=prefix="$tmp/root$root" --cflags --libs capsim-app-instrumented) ||
    fail "pkg-config capsim-app-instrumented failed"
[ -f "$tmp/root$root/include/capsim/app.h" ] || fail "<capsim/app.h> not installed"
[ -f "$tmp/root$root/include/zircon/syscalls.h" ] || fail "<zircon/syscalls.h> not installed"
cc -shared -fPIC $flags "$hello" -o "$tmp/hello.so" || fail "cannot build hello.so with: $flags"
cc -shared -fPIC $iflags "$hello" -o "$tmp/hello-i.so" || fail "cannot build an instrumented app with: $iflags"
libdir=$(dirname "$(find "$tmp/root" -name 'libcapsim.so*' | head -1)")
capsim=$(find "$tmp/root" -type f -name capsim | head -1)
out=$(LD_LIBRARY_PATH="$libdir" "$capsim" run "$tmp/hello.so" 2>&1) || fail "capsim run failed: $out"
echo "$out" | grep -q '^\[hello\] .*hello.so: got ping through a channel$' || fail "unexpected output: $out"
out=$(LD_LIBRARY_PATH="$libdir" "$capsim" run "$tmp/hello-i.so" 2>&1) || fail "instrumented run failed: $out"
echo "$out" | grep -q 'got ping through a channel' || fail "unexpected output: $out"
echo "sdk_install: ok"
