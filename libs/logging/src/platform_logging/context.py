"""Context variables merged into every log line of the current task or thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog


def bind_context(**values: Any) -> None:
    """Bind values (``request_id=...``) to every log line of the current context."""
    structlog.contextvars.bind_contextvars(**values)


def clear_context() -> None:
    structlog.contextvars.clear_contextvars()


def get_context() -> dict[str, Any]:
    return dict(structlog.contextvars.get_contextvars())


@contextmanager
def bound_context(**values: Any) -> Iterator[None]:
    """Bind values for the duration of a ``with`` block, then restore the previous ones."""
    with structlog.contextvars.bound_contextvars(**values):
        yield
