#!/usr/bin/env bash
# check_aarch64.sh SRC DIR — the engine on 64-bit Arm: cross-builds the
# engine and its tests (-Dengine_only=true, cross file aarch64-linux-gnu.ini)
# in DIR and runs the whole engine suite under qemu-user. That runs the
# hand-written AArch64 switch (sim/fiber_switch_aarch64.S), the fault
# handling's AArch64 paths, and the golden trace hash, which must be the
# same on both architectures.
#
# Needs what `bash setup.sh --tests` installs (the cross compiler, qemu-user,
# arm64 GLib); without it the test is skipped (exit 77) and says so. arm64
# Criterion cannot be installed next to the amd64 one, so it is fetched into
# DIR-criterion on first use (fetch_criterion.sh, no root needed).
#
# Criterion runs every test in a child that re-executes the test program,
# and an exec'd arm64 program runs only if the kernel knows to hand it to
# qemu: a binfmt_misc entry. It is registered in a private binfmt_misc
# instance, in a new user and mount namespace (Linux >= 6.7), so nothing
# outside this run sees it.
set -euo pipefail
src=$(cd "$1" && pwd)
dir=$2
crit=$dir-criterion

skip() { echo "check_aarch64.sh: skipped: $*" >&2; exit 77; }
for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-pkg-config qemu-aarch64 unshare; do
  command -v "$tool" >/dev/null || skip "no $tool (bash setup.sh --tests installs it)"
done
aarch64-linux-gnu-pkg-config --exists glib-2.0 ||
  skip "no arm64 GLib (bash setup.sh --tests installs libglib2.0-dev:arm64)"

if [ ! -f "$crit/usr/lib/aarch64-linux-gnu/pkgconfig/criterion.pc" ]; then
  "$src/tests/cross/fetch_criterion.sh" "$crit"
fi
. "$src/tests/second_build.sh"
PKG_CONFIG_PATH=$crit/usr/lib/aarch64-linux-gnu/pkgconfig \
  second_build_setup "$src" "$dir" --cross-file "$src/tests/cross/aarch64-linux-gnu.ini" \
    -Dengine_only=true -Dbench=false
ninja -C "$dir" >/dev/null

# The AArch64 ELF header (executable or PIE), as binfmt_misc matches it.
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
qemu=$(command -v qemu-aarch64)
export dir magic mask qemu
unshare --user --map-root-user --mount true 2>/dev/null ||
  skip "cannot make a user and mount namespace here (a chroot, a container's seccomp, or user.max_user_namespaces=0)"
unshare --user --map-root-user --mount bash -c '
  set -e
  mount -t binfmt_misc capsim /proc/sys/fs/binfmt_misc 2>/dev/null || {
    echo "check_aarch64.sh: skipped: no private binfmt_misc here (Linux >= 6.7 needed)" >&2
    exit 77
  }
  printf "%s" ":capsim-aarch64:M::$magic:$mask:$qemu:F" \
    > /proc/sys/fs/binfmt_misc/register
  meson test -C "$dir" --no-rebuild --print-errorlogs
'
