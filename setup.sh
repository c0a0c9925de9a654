#!/usr/bin/env bash
# setup.sh — installs what capsim needs from Debian's packages, builds it in
# build/ and installs it under /usr/local (so `capsim`, the headers, the
# pkg-config file and the Python package are on the usual paths).
# Idempotent and non-interactive: run it as often as you like.
#   bash setup.sh           install deps, build, install
#   bash setup.sh --bench   also install the peer benchmark (SimGrid)
#   bash setup.sh --tests   also install what only some tests need: the
#                           arm64 cross compiler, qemu-user and arm64 GLib
#                           for the engine's AArch64 run (tests/cross/)
set -euo pipefail
cd "$(dirname "$0")"

pkgs=(build-essential meson ninja-build pkg-config
      libglib2.0-dev libjson-glib-dev libgraphviz-dev libcriterion-dev
      python3 python3-cffi python3-dev python3-pytest python3-networkx
      python3-nbclient python3-nbformat python3-ipykernel)
arm64=0
for arg in "$@"; do
  case "$arg" in
    --bench) pkgs+=(libsimgrid-dev) ;;
    --tests) arm64=1
             pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
                    libglib2.0-dev:arm64 libgit2-1.5:arm64 libffi8:arm64) ;;
    *) echo "setup.sh: unknown option '$arg' (known: --bench, --tests)" >&2
       exit 2 ;;
  esac
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# arm64 packages (multiarch) need the architecture known to dpkg; the
# apt-get update below then fetches its package lists.
if [ "$arm64" = 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f build/build.ninja ]; then
  meson setup build --prefix=/usr/local
fi
meson compile -C build
$sudo meson install -C build --quiet
$sudo ldconfig
