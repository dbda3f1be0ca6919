#!/usr/bin/env bash
# Derive Pants' lockfile from uv.lock, so that uv.lock stays the one source of versions.
#   build-support/generate-lockfile.sh          regenerate 3rdparty/python/{requirements.txt,default.lock}
#   build-support/generate-lockfile.sh --check  fail when they do not match uv.lock (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
out=3rdparty/python
uv_cmd() { if command -v uv >/dev/null && [ "$(uv --version | cut -d' ' -f2)" = "$(cat .uv-version)" ]; then uv "$@"; else python3 -m uv "$@"; fi; }

export_requirements() {
  # Every third-party package of the workspace (runtime and dev), pinned, without the
  # workspace's own packages (Pants sees those as first-party sources).
  uv_cmd export --frozen --quiet --format requirements-txt --all-packages --all-extras \
    --no-emit-workspace --no-hashes --no-header --no-annotate \
    | grep -v '^ *#' | sed '/^$/d' | LC_ALL=C sort
}

if [ "${1:-}" = "--check" ]; then
  tmp="$(mktemp)"
  export_requirements > "$tmp"
  if ! diff -u "$out/requirements.txt" "$tmp"; then
    echo "lockfile drift: 3rdparty/python/requirements.txt does not match uv.lock;" \
         "run build-support/generate-lockfile.sh and commit the result" >&2
    exit 1
  fi
  # The Pants lockfile must pin exactly the exported requirements.
  python3 - "$out/default.lock" "$out/requirements.txt" <<'PY'
import json, re, sys
lock_text = open(sys.argv[1]).read()
body = json.loads("\n".join(l for l in lock_text.splitlines() if not l.startswith("//")))
locked = {}
for resolve in body["locked_resolves"]:
    for req in resolve["locked_requirements"]:
        locked[req["project_name"].lower().replace("_", "-").replace(".", "-")] = req["version"]
missing = []
for line in open(sys.argv[2]):
    marker = line.partition(";")[2]
    if "win32" in marker or "Windows" in marker:
        continue  # the lock targets Linux and macOS only
    name, _, version = line.split(";")[0].strip().partition("==")
    name = re.sub(r"\[.*\]", "", name).lower().replace("_", "-").replace(".", "-")
    if locked.get(name) != version.strip():
        missing.append(f"{name}=={version.strip()} (lock has {locked.get(name)})")
if missing:
    sys.exit("lockfile drift: default.lock does not pin " + ", ".join(missing))
print(f"lockfiles agree: {len(locked)} locked distributions")
PY
  exit 0
fi

bash build-support/bootstrap-pants.sh
export_requirements > "$out/requirements.txt"
py312_bin="$(python3.12 -c 'import sys, os; print(os.path.join(sys.base_prefix, "bin"))')"
PEX_SCRIPT=pex3 build-support/.venv-pants/bin/python build-support/bin/pex-v2.1.148 lock create \
  --style universal --pip-version 23.2 --resolver-version pip-2020-resolver \
  --interpreter-constraint 'CPython==3.12.*' --python-path "$py312_bin" \
  --target-system linux --target-system mac \
  --indent 2 -r "$out/requirements.txt" -o "$out/default.lock.json"
{
  echo "// Generated from uv.lock by build-support/generate-lockfile.sh: do not edit."
  echo "// --- BEGIN PANTS LOCKFILE METADATA: DO NOT EDIT OR REMOVE ---"
  echo "// {\"version\": 2, \"valid_for_interpreter_constraints\": [\"CPython==3.12.*\"], \"generated_with_requirements\": []}"
  echo "// --- END PANTS LOCKFILE METADATA ---"
  cat "$out/default.lock.json"
} > "$out/default.lock"
rm "$out/default.lock.json"
echo "wrote $out/requirements.txt and $out/default.lock" >&2
