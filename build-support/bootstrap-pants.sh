#!/usr/bin/env bash
# One-time (idempotent) bootstrap of Pants 2.17.1 and the tools it would otherwise download
# from GitHub. Everything comes from PyPI. Run from anywhere; installs under build-support/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
PANTS_VERSION=2.17.1
PEX_VERSION=2.1.148
PEX_SHA256=56b375032202b911ed0fc47dcbd1d0762302631386d068f2c75c650bc53168be
PEX_SIZE=3662543
venv="$here/.venv-pants"
bin="$here/bin"

# Pants 2.17 runs on Python 3.9 (its wheels are published for 3.7-3.9).
py39="${PANTS_PYTHON:-}"
if [ -z "$py39" ]; then
  for c in python3.9 "$(command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/3.9"*/bin/python3.9; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info[:2]==(3,9)' 2>/dev/null; then py39="$c"; break; fi
  done
fi
if [ -z "$py39" ]; then
  command -v uv >/dev/null || python3 -m pip install -q "uv==$(cat "$root/.uv-version")"
  uv python install 3.9 >/dev/null
  py39="$(uv python find 3.9)"
fi

installed="$("$venv/bin/pip" show pantsbuild.pants 2>/dev/null || true)"
if [ ! -x "$venv/bin/pants" ] || [[ "$installed" != *"Version: $PANTS_VERSION"* ]]; then
  echo "bootstrap: installing Pants $PANTS_VERSION into $venv" >&2
  "$py39" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "pantsbuild.pants==$PANTS_VERSION"
fi

mkdir -p "$bin"
pex_bin="$bin/pex-v$PEX_VERSION"
if [ ! -f "$pex_bin" ]; then
  echo "bootstrap: building pex v$PEX_VERSION from PyPI" >&2
  # Pants pins an older pex, so pex builds itself in a throwaway venv of its own.
  tmp="$(mktemp -d)"
  "$py39" -m venv "$tmp/venv"
  "$tmp/venv/bin/pip" install -q --disable-pip-version-check "pex==$PEX_VERSION"
  "$tmp/venv/bin/pex" "pex==$PEX_VERSION" -c pex -o "$pex_bin" --python "$py39"
  rm -rf "$tmp"
fi
actual="$(sha256sum "$pex_bin" | cut -d' ' -f1)"
if [ "$actual" != "$PEX_SHA256" ] || [ "$(stat -c %s "$pex_bin")" != "$PEX_SIZE" ]; then
  echo "bootstrap: $pex_bin has sha256 $actual, expected $PEX_SHA256 (pants.toml [pex-cli]); rebuild or update both" >&2
  rm -f "$pex_bin"
  exit 1
fi
