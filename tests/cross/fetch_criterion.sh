#!/usr/bin/env bash
# fetch_criterion.sh DIR — Criterion for arm64 in a private prefix DIR, for
# the engine's cross build (check_aarch64.sh).
#
# GLib and libgit2 for arm64 install next to the amd64 ones (multiarch),
# but Criterion cannot: Debian built libnanomsg5 for amd64 a second time
# (version +b1), and multiarch needs one version on every architecture, so
# installing arm64 Criterion would remove the amd64 one the other tests
# need. Instead this downloads the three arm64 packages (no root needed),
# unpacks them into DIR and points criterion.pc at DIR, with an rpath so
# the test programs find libcriterion and libnanomsg there under qemu.
set -euo pipefail
dir=$1
pkgs=(libcriterion3:arm64 libcriterion-dev:arm64 libnanomsg5:arm64)
rm -rf "$dir"
mkdir -p "$dir/debs"
(cd "$dir/debs" && apt-get download -q "${pkgs[@]}" >/dev/null 2>&1) || {
  echo "fetch_criterion.sh: apt-get download ${pkgs[*]} failed" \
       "(is arm64 enabled: dpkg --add-architecture arm64 && apt-get update?)" >&2
  exit 1
}
for deb in "$dir"/debs/*.deb; do
  dpkg-deb -x "$deb" "$dir"
done
rm -rf "$dir/debs"
pc=$dir/usr/lib/aarch64-linux-gnu/pkgconfig/criterion.pc
[ -f "$pc" ] || { echo "fetch_criterion.sh: no criterion.pc in $dir" >&2; exit 1; }
# Absolute prefix; a DT_RPATH (not RUNPATH) so it also serves libcriterion's
# own dependency on libnanomsg.
sed -i -e "s|^prefix=.*|prefix=$(cd "$dir" && pwd)/usr|" \
       -e 's|^Libs: .*|Libs: -L${libdir} -Wl,--disable-new-dtags,-rpath,${libdir} -lcriterion|' \
       -e 's|^Requires.private:.*||' -e 's|^Libs.private:.*||' "$pc"
echo "fetch_criterion.sh: arm64 Criterion in $dir"
