#!/usr/bin/env bash
# Regenerate the client from the service's OpenAPI document: `./dev client` (or with --check:
# regenerate and fail if anything differs from what is committed; CI runs that).
# Any generator warning fails it: a warning means a piece of the document (an endpoint, a
# model, a response) was silently left out of the client. Fix the document, not the client.
# For tests: OPENAPI_DOCUMENT=FILE reads that document instead of the service's, and
# CLIENT_OUTPUT_DIR=DIR writes the package there instead of src/ (absolute paths).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${CLIENT_OUTPUT_DIR:-$here/src/task_manager_client/generated}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$here"
document="${OPENAPI_DOCUMENT:-$tmp/openapi.json}"
if [ -z "${OPENAPI_DOCUMENT:-}" ]; then
  # No settings file and no real key needed: the document does not depend on them.
  env -u DATABASE_URL -u API_KEYS_SECRET_ID ENV_FILE=/dev/null API_KEYS=openapi-dump-placeholder-key \
    "$root/.venv/bin/task-manager" openapi >"$document"
fi
# templates/ patches one upstream template of exactly this generator version.
generator_version="0.29.1"
if ! "$root/.venv/bin/openapi-python-client" --version | grep -q "version: $generator_version\$"; then
  echo "client: templates/ patch openapi-python-client $generator_version; this is" \
    "$("$root/.venv/bin/openapi-python-client" --version): re-apply the patch to its template" >&2
  exit 1
fi
if ! "$root/.venv/bin/openapi-python-client" generate --path "$document" \
  --config openapi-generator.yaml --custom-template-path templates --meta none \
  --output-path "$tmp/generated" --overwrite --fail-on-warning >"$tmp/log" 2>&1 || grep -qi "warning" "$tmp/log"; then
  cat "$tmp/log" >&2
  echo "client: the generator warned or failed (above): fix the OpenAPI document" >&2
  exit 1
fi
# Formatted with the locked ruff and fixed settings (the repository's lint skips this folder).
"$root/.venv/bin/ruff" check --isolated --quiet --select I,F401 --fix "$tmp/generated" || true
"$root/.venv/bin/ruff" format --isolated --quiet --line-length 100 "$tmp/generated"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -R "$tmp/generated" "$out"

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
