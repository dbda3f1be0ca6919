#!/usr/bin/env bash
# Regenerate the client from the service's OpenAPI document: `./dev client` (or with --check:
# regenerate and fail if anything differs from what is committed; CI runs that).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="src/task_manager_client/generated"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$here"
# No settings file and no real key needed: the document does not depend on them.
env -u DATABASE_URL -u API_KEYS_SECRET_ID ENV_FILE=/dev/null API_KEYS=openapi-dump-placeholder-key \
  "$root/.venv/bin/task-manager" openapi >"$tmp/openapi.json"
"$root/.venv/bin/openapi-python-client" generate --path "$tmp/openapi.json" \
  --config openapi-generator.yaml --meta none --output-path "$out" --overwrite >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; exit 1; }
# Formatted with the locked ruff and fixed settings (the repository's lint skips this folder).
"$root/.venv/bin/ruff" check --isolated --quiet --select I,F401 --fix "$out" || true
"$root/.venv/bin/ruff" format --isolated --quiet --line-length 100 "$out"

if [ "${1:-}" = "--check" ]; then
  cd "$root"
  if ! git diff --exit-code --stat -- "clients/task-manager-client" \
    || [ -n "$(git status --porcelain -- "clients/task-manager-client")" ]; then
    git status --short -- "clients/task-manager-client" >&2
    echo "client: out of date with the OpenAPI document; run ./dev client and commit" >&2
    exit 1
  fi
  echo "client: up to date with the OpenAPI document"
fi
