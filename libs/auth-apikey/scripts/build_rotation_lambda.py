#!/usr/bin/env python3
"""Build the API-key rotation Lambda's deployment package.

    python libs/auth-apikey/scripts/build_rotation_lambda.py [OUTPUT.zip]

The zip holds ``platform_auth_apikey/rotation.py`` alone (no ``__init__.py``: the folder is a
namespace package, so importing the handler does not pull in FastAPI); boto3 comes with the
Lambda Python runtime. Handler: ``platform_auth_apikey.rotation.lambda_handler``. The archive is
reproducible: fixed timestamps and permissions, so the same source gives the same bytes (and
the same ``source_code_hash`` in Terraform). Prints the path and its base64 SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path

LIB = Path(__file__).resolve().parents[1]
MODULE = LIB / "src" / "platform_auth_apikey" / "rotation.py"
ARCNAME = "platform_auth_apikey/rotation.py"
DEFAULT_OUTPUT = LIB / "dist" / "rotation-lambda.zip"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def build(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    info = zipfile.ZipInfo(ARCNAME, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(info, MODULE.read_bytes())
    return output


def main(argv: list[str]) -> int:
    output = build(Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT)
    digest = base64.b64encode(hashlib.sha256(output.read_bytes()).digest()).decode()
    sys.stdout.write(f"{output}\nsha256 (base64): {digest}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
