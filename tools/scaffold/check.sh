#!/usr/bin/env bash
# Keeps the scaffold true (a .ci/run step): generates a throwaway service with
# `./dev new-service` in a TEMPORARY COPY of this checkout (never in the real tree), then, in
# that copy, runs the new service's tests, the infra tests (its Terraform entry and env
# templates), `./dev lint` (ruff, mypy --strict, import boundaries), `terraform fmt -check`,
# the image recipe (docker/build-venv.sh: the runtime venv, no dev packages, imports it), and
# Pants: `tailor --check ::` and the new service's tests. Fails if the template rots.
#
#   bash tools/scaffold/check.sh            (KEEP=1 keeps the copy for a look)
#
# The copy is the working tree (tracked and untracked, not ignored, files: uncommitted template
# edits are checked too), committed in a fresh git repository so `--changed-since` works.
# Pants is reused from the real checkout (build-support/.venv-pants and bin/ are git-ignored:
# hard-linked), and its caches (~/.cache/pants) and uv's are shared, so this takes a
# few minutes, not a cold bootstrap.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
name="${SCAFFOLD_CHECK_NAME:-scaffold-probe}"
resource="${SCAFFOLD_CHECK_RESOURCE:-widgets}"
copy="$(mktemp -d /tmp/scaffold-check.XXXXXX)"
image_venv="$(mktemp -d /tmp/scaffold-image.XXXXXX)"  # outside the copy: Pants would scan it
cleanup() {
  rm -rf "$image_venv"
  if [ "${KEEP:-0}" = 1 ]; then echo "scaffold-check: kept $copy" >&2; else rm -rf "$copy"; fi
}
trap cleanup EXIT
step() { printf '\n--> scaffold-check: %s\n' "$*"; }

step "copy of $root in $copy"
git -C "$root" ls-files -z --cached --others --exclude-standard \
  | tar -C "$root" --null --no-recursion --ignore-failed-read -T - -cf - | tar -xf - -C "$copy"
git -C "$copy" init -q
git -C "$copy" add -A
git -C "$copy" -c user.name=scaffold-check -c user.email=scaffold-check@localhost \
  commit -q -m "base" --no-verify
bash "$root/build-support/bootstrap-pants.sh"
# Pants refuses symlinks that leave the build root: hard links (same file system), else a copy.
for dir in .venv-pants bin; do
  cp -al "$root/build-support/$dir" "$copy/build-support/$dir" 2>/dev/null \
    || cp -a "$root/build-support/$dir" "$copy/build-support/$dir"
done

cd "$copy"
step "./dev new-service $name --resource $resource"
./dev new-service "$name" --resource "$resource"
test -d "services/$name" && ! test -e "$root/services/$name"

step "the new service's tests, and the infra tests (its Terraform entry, env templates)"
./dev test "services/$name" infra/tests tools/deploy -q -p no:cacheprovider

step "./dev lint with the new service"
./dev lint

if command -v terraform >/dev/null; then
  step "terraform fmt -check (the inserted services entries)"
  terraform fmt -check -recursive infra
fi

step "the image recipe builds its runtime environment (docker/build-venv.sh, as the Dockerfile)"
COMPILE_BYTECODE=0 bash docker/build-venv.sh . "$image_venv/venv" "$name"

step "Pants: every file owned (tailor --check), the new service's tests"
./pants --no-pantsd tailor --check ::
./pants --no-pantsd test "services/$name::"
step "ok: the scaffold generates a service that passes its tests, lint and Pants"
