"""An embedded PostgreSQL (the ``pgserver`` package, an optional extra) for local runs and tests.

Only for machines without a database: production always passes a ``DATABASE_URL``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class EmbeddedPostgres:
    url: str
    data_dir: Path
    _server: Any

    def stop(self) -> None:
        self._server.cleanup()


def start_embedded(data_dir: Path | str, *, keep_running: bool = False) -> EmbeddedPostgres:
    """Start (or join) a private PostgreSQL server whose files live in ``data_dir``.

    Works as root (pgserver runs the server as a dedicated system user). ``stop()`` ends it
    unless ``keep_running``; the data stays in ``data_dir`` either way.
    """
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "no DATABASE_URL given and the embedded PostgreSQL is not installed "
            "(install platform-db[embedded], or set DATABASE_URL)"
        ) from exc
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every command at INFO
    path = Path(data_dir).resolve()
    path.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(  # type: ignore[attr-defined]
        path, cleanup_mode=None if keep_running else "stop"
    )
    return EmbeddedPostgres(url=server.get_uri(), data_dir=path, _server=server)
