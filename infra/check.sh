#!/usr/bin/env bash
# Static checks of the Terraform code under infra/ (no provider download, no AWS).
#   bash infra/check.sh          # from the repository root (or anywhere)
# 1. terraform fmt -check -recursive infra
# 2. checkov (pinned, run isolated through uvx) - exits non-zero on any failed check
# The HCL unit tests (infra/tests, pytest + python-hcl2) are run by the caller;
# the command is printed at the end.
set -euo pipefail

CHECKOV_VERSION="3.3.30"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# A TF_CLI_CONFIG_FILE pointing at a missing file only produces a warning; drop it.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "${TF_CLI_CONFIG_FILE}" ]]; then
  unset TF_CLI_CONFIG_FILE
fi

echo "==> terraform fmt -check -recursive infra"
if ! command -v terraform >/dev/null 2>&1; then
  # terraform is not in any package registry this project can reach (PyPI, Debian, npm), so
  # a machine without it cannot get it from here: say so loudly rather than fail CI on it.
  echo "WARNING: terraform is not on PATH: formatting NOT checked (install terraform >= 1.6)" >&2
else
  terraform version | sed -n '1p'
  if ! terraform fmt -check -recursive -diff infra; then
    echo "error: Terraform files are not formatted; run: terraform fmt -recursive infra" >&2
    exit 1
  fi
  echo "fmt: ok"
fi

echo "==> checkov ${CHECKOV_VERSION} (terraform framework)"
uvx() {
  if command -v uvx >/dev/null 2>&1; then command uvx "$@"; else python3 -m uv tool run "$@"; fi
}
# --skip-download: no calls to the Prisma Cloud API (guidelines/severities), which
# keeps the run offline-friendly and well under a minute.
uvx --from "checkov==${CHECKOV_VERSION}" checkov \
  --directory infra \
  --framework terraform \
  --quiet --compact \
  --skip-download
echo "checkov: ok"

cat <<'MSG'
==> HCL unit tests are not run by this script. Run them with:
    uv run --no-project --with python-hcl2==8.1.4 --with pytest==8.3.4 pytest infra/tests -q
  (or `pytest infra/tests` in the monorepo dev environment, which provides python-hcl2 and pytest)
MSG
