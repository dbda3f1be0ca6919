"""The service's OpenAPI document, as ``task-manager openapi`` prints it (what generate.sh reads)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "API_KEYS_SECRET_ID")}
    env |= {"ENV_FILE": "/dev/null", "API_KEYS": "openapi-dump-placeholder-key"}
    out = subprocess.run(
        [BIN / "task-manager", "openapi"], env=env, check=True, capture_output=True
    ).stdout
    value: dict[str, Any] = json.loads(out)
    return value
