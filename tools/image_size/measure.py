"""Measure a service's image (``SERVICE``, default task-manager) without a Docker engine.

Builds the runtime stage's virtual environment with the very script the Dockerfile RUNs
(``docker/build-venv.sh``: same uv commands, same pruning, same byte code), checks that the
application imports from it, and adds the base image's published size:

    python3 tools/image_size/measure.py [--out DIR] [--json] [--budget-mb 200]

The image is the base image plus one layer: ``COPY --from=build /app/.venv``. Its
uncompressed size is the venv's bytes on disk; its compressed size (what a registry stores and
a task pulls) is estimated by gzip-compressing a tar of the venv, as the layer is pushed.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "docker" / "build-venv.sh"
SERVICE = os.environ.get("SERVICE", "task-manager")
PACKAGE = SERVICE.replace("-", "_")

# python:3.12-slim-bookworm, linux/amd64, as published by the Docker Official Images
# (github.com/docker-library/repo-info): compressed transfer size of 3.12.14-slim-bookworm
# (repos/python/remote/3.12-slim-bookworm.md, 45,437,565 bytes) and on-disk "Virtual Size"
# of 3.12.13-slim-bookworm (repos/python/local/3.12-slim-bookworm.md, ~124.3 MB).
BASE_IMAGE = "python:3.12.14-slim-bookworm"
BASE_COMPRESSED_BYTES = 45_437_565
BASE_UNCOMPRESSED_BYTES = 124_300_000
MB = 1_000_000


@dataclass(frozen=True)
class Report:
    venv: str
    venv_bytes: int
    venv_bytecode_bytes: int
    venv_layer_gzip_bytes: int
    base_image: str
    base_uncompressed_bytes: int
    base_compressed_bytes: int
    image_uncompressed_bytes: int
    image_compressed_bytes: int
    largest_packages: list[tuple[str, int]]
    imports_ok: bool


def tree_bytes(path: Path, suffix: str | None = None) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            file = Path(dirpath, name)
            if not file.is_symlink() and (suffix is None or name.endswith(suffix)):
                total += file.stat().st_size
    return total


def gzip_layer_bytes(path: Path) -> int:
    """Size of the venv as a gzip-compressed tar layer (what `docker push` uploads)."""

    class Counter(io.RawIOBase):
        def __init__(self) -> None:
            self.count = 0

        def writable(self) -> bool:
            return True

        def write(self, data: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
            self.count += len(data)
            return len(data)

    counter = Counter()
    with (
        gzip.GzipFile(fileobj=counter, mode="wb", compresslevel=6, mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w") as tar,
    ):
        tar.add(path, arcname="app/.venv")
    return counter.count


def largest_packages(venv: Path, count: int = 8) -> list[tuple[str, int]]:
    site = next((venv / "lib").glob("python3*/site-packages"))
    sizes = [(entry.name, tree_bytes(entry)) for entry in site.iterdir() if entry.is_dir()]
    return sorted(sizes, key=lambda item: item[1], reverse=True)[:count]


def build(out: Path) -> None:
    subprocess.run(["bash", str(BUILD_SCRIPT), str(ROOT), str(out), SERVICE], check=True)  # noqa: S603, S607


def imports_ok(venv: Path) -> bool:
    """The application imports from the built environment alone (not from the source tree)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(  # noqa: S603
        [str(venv / "bin" / "python"), "-c", f"import {PACKAGE}.app, {PACKAGE}.cli"],
        cwd="/",
        env=env,
        check=False,
    )
    return result.returncode == 0


def measure(out: Path) -> Report:
    venv_bytes = tree_bytes(out)
    layer = gzip_layer_bytes(out)
    return Report(
        venv=str(out),
        venv_bytes=venv_bytes,
        venv_bytecode_bytes=tree_bytes(out, ".pyc"),
        venv_layer_gzip_bytes=layer,
        base_image=BASE_IMAGE,
        base_uncompressed_bytes=BASE_UNCOMPRESSED_BYTES,
        base_compressed_bytes=BASE_COMPRESSED_BYTES,
        image_uncompressed_bytes=BASE_UNCOMPRESSED_BYTES + venv_bytes,
        image_compressed_bytes=BASE_COMPRESSED_BYTES + layer,
        largest_packages=largest_packages(out),
        imports_ok=imports_ok(out),
    )


def render(report: Report) -> str:
    def mb(value: int) -> str:
        return f"{value / MB:7.1f} MB"

    lines = [
        f"venv ({report.venv})",
        f"  on disk             {mb(report.venv_bytes)}"
        f"  (byte code {mb(report.venv_bytecode_bytes).strip()})",
        f"  as a gzip layer     {mb(report.venv_layer_gzip_bytes)}",
        f"base {report.base_image} (published, linux/amd64)",
        f"  uncompressed        {mb(report.base_uncompressed_bytes)}",
        f"  compressed          {mb(report.base_compressed_bytes)}",
        "image = base + venv layer",
        f"  uncompressed        {mb(report.image_uncompressed_bytes)}",
        f"  compressed (pull)   {mb(report.image_compressed_bytes)}",
        "largest packages: "
        + ", ".join(f"{name} {size / MB:.1f}" for name, size in report.largest_packages),
        f"import {PACKAGE}.app from the venv: {'ok' if report.imports_ok else 'FAILED'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / ".tmp" / "image-size" / "venv")
    parser.add_argument("--no-build", action="store_true", help="measure an existing --out")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--budget-mb", type=float, default=None, help="fail above this size")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if not args.no_build:
        build(out)
    report = measure(out)
    print(json.dumps(asdict(report), indent=2) if args.json else render(report))  # noqa: T201
    if not report.imports_ok:
        return 1
    if args.budget_mb is not None and report.image_uncompressed_bytes > args.budget_mb * MB:
        print(f"over budget: {report.image_uncompressed_bytes / MB:.1f} MB > {args.budget_mb} MB")  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
