#!/usr/bin/env bash
# Builds a service's runtime environment: the locked third-party runtime dependencies and
# the workspace members (the service, platform-*) installed as wheels, pruned and verified,
# plus VENV_DIR/gunicorn.conf.py pointing gunicorn at the service's gunicorn_conf.
#
#   build-venv.sh SOURCE_ROOT VENV_DIR SERVICE     (SERVICE: services/SERVICE, e.g. task-manager)
#
# The service's import package is SERVICE with "-" as "_" (task-manager: task_manager); it
# must have app.py (create_app), cli.py (build_parser via ServiceCli), migrations and
# gunicorn_conf.py, as platform_service lays them out.
# SOURCE_ROOT is the uv workspace root (pyproject.toml + uv.lock); VENV_DIR is created anew.
# The Dockerfile's build stage RUNs this very script, and tools/image_size/measure.py runs it
# on a developer machine, so the measured environment is the image's environment.
# Needs: uv (the version in .uv-version), a CPython 3.12 ($PYTHON, default python3.12), strip.
# COMPILE_BYTECODE=0 skips the byte-code compilation at the end (default 1).
set -euo pipefail

src="$(cd "${1:?usage: build-venv.sh SOURCE_ROOT VENV_DIR}" && pwd)"
venv="${2:?usage: build-venv.sh SOURCE_ROOT VENV_DIR SERVICE}"
service="${3:?usage: build-venv.sh SOURCE_ROOT VENV_DIR SERVICE}"
package="${service//-/_}"
[ -f "$src/services/$service/pyproject.toml" ] || { echo "build-venv: no services/$service" >&2; exit 1; }
export SERVICE_PACKAGE="$package"
python="${PYTHON:-python3.12}"
# botocore service models the service calls at run time (platform_auth_apikey: Secrets Manager;
# STS for role credentials). Everything else in botocore/data (~400 services) is dropped.
keep_aws_services="${KEEP_AWS_SERVICES:-secretsmanager sts}"
log() { printf 'build-venv: %s\n' "$*" >&2; }

command -v strip >/dev/null || { log "strip (binutils) is required"; exit 1; }
want_uv="$(cat "$src/.uv-version")"
have_uv="$(uv --version | cut -d' ' -f2)"
[ "$have_uv" = "$want_uv" ] || { log "uv $want_uv required (.uv-version), found $have_uv"; exit 1; }

rm -rf "$venv"
# --no-dev: no dev group; --package: only the service and what it needs; --no-editable: the
# workspace libs and the service are built and installed as wheels, so no source tree is needed
# at run time. --frozen: exactly uv.lock, fail rather than re-resolve.
log "installing $service runtime dependencies into $venv"
UV_PROJECT_ENVIRONMENT="$venv" UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy \
  uv sync --project "$src" --frozen --no-dev --package "$service" --no-editable \
  --python "$python" --no-progress --quiet

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"

if [ -e "$site/pgserver" ]; then
  log "pgserver is in the runtime environment: it belongs to platform-db[embedded] (dev) only"
  exit 1
fi

log "pruning botocore service models (keeping: $keep_aws_services)"
data="$site/botocore/data"
for entry in "$data"/*/; do
  name="$(basename "$entry")"
  case " $keep_aws_services " in
    *" $name "*) ;;
    *) rm -rf "$entry" ;;
  esac
done
# The top-level files (endpoints.json, partitions.json, sdk-default-configuration.json,
# _retry.json) are read when botocore loads; they stay. Examples are documentation only.
find "$data" -name 'examples-1.json' -delete
# boto3's resource models (s3, ec2, ...): the service uses clients only.
find "$site/boto3/data" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

log "dropping tests, C sources, type stubs and stray byte code"
rm -rf "$site/greenlet/tests"
find "$site" \( -name '*.pyi' -o -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.pyx' \
  -o -name '*.pxd' -o -name '*.pxi' \) -type f -delete
find "$venv" -name '__pycache__' -type d -prune -exec rm -rf {} +

log "stripping debug symbols from extension modules"
find "$site" -name '*.so' -type f -exec strip --strip-unneeded {} +

log "verifying the pruned environment"
# gunicorn_conf validates the settings on import: give it a throwaway key for this check only
# (nothing of it reaches the image's environment).
API_KEYS=build-verification-only-0123456789 "$venv/bin/python" - <<'PY'
import importlib.util

import importlib
import os

import boto3
import uvloop

package = os.environ["SERVICE_PACKAGE"]
importlib.import_module(f"{package}.app")  # the whole application graph
cli = importlib.import_module(f"{package}.cli")
importlib.import_module(f"{package}.migrations")

for service in ("secretsmanager", "sts"):
    # Builds the client from the pruned models; no request is sent.
    client = boto3.client(service, region_name="eu-west-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    assert client.meta.service_model.service_name == service
importlib.import_module(f"{package}.gunicorn_conf")
assert importlib.util.find_spec("pgserver") is None
cli.cli.build_parser()
uvloop.new_event_loop().close()
print(f"build-venv: ok: {package}.app imports; boto3 secretsmanager/sts clients build")
PY
find "$venv" -name '__pycache__' -type d -prune -exec rm -rf {} +

# Byte code, compiled once here for the image's interpreter, of exactly the modules a server
# start imports: without it every worker of a 0.25-vCPU task compiles its whole import graph
# at each start (measured here: 6.5 s of imports instead of 1.5-2 s); compiling everything
# instead would add ~9 MB of .pyc that no start reads (most of SQLAlchemy, botocore, ...).
# unchecked-hash .pyc stay valid whatever mtimes COPY gives the sources.
if [ "${COMPILE_BYTECODE:-1}" = 1 ]; then
  log "compiling the byte code of the modules a server start imports"
  API_KEYS=build-verification-only-0123456789 PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" - <<'PY'
import importlib
import importlib.util
import os
import py_compile
import sys

import boto3

package = os.environ["SERVICE_PACKAGE"]
for module in (f"{package}.app", f"{package}.cli", f"{package}.migrations",
               f"{package}.gunicorn_conf", "gunicorn.app.wsgiapp", "gunicorn.arbiter",
               "uvicorn_worker", "uvloop", "httptools"):
    if importlib.util.find_spec(module) is not None:
        importlib.import_module(module)
boto3.client("secretsmanager", region_name="eu-west-1", aws_access_key_id="x",
             aws_secret_access_key="x")
count = 0
for module in list(sys.modules.values()):
    path = getattr(module, "__file__", None) or ""
    if "/site-packages/" in path and path.endswith(".py"):
        py_compile.compile(path, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        count += 1
print(f"build-venv: compiled {count} modules")
PY
fi
# The image's command is the same for every service: gunicorn --config VENV/gunicorn.conf.py.
printf '"""gunicorn settings of %s (written by docker/build-venv.sh)."""\nfrom %s.gunicorn_conf import *  # noqa: F403\n' \
  "$service" "$package" > "$venv/gunicorn.conf.py"
log "done: $(du -sh "$venv" | cut -f1) in $venv"
