"""Progress of long command-line work, for the person watching (not a log line).

``elapsed(label)`` wraps a step of unknown length (one SQL statement, say): on a terminal the
line ``label … 12 s`` is rewritten every half second; otherwise (CI, a file) a line is written
every ``every`` seconds, so a long step never looks hung. ``counter(label, total)`` reports
steps of known size: ``label 300 000 / 1 000 000 (30 %), 4.2 s``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TextIO


def _interactive(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@asynccontextmanager
async def elapsed(
    label: str, *, stream: TextIO | None = None, every: float = 10.0
) -> AsyncIterator[None]:
    """Show that ``label`` is still running while the ``async with`` block runs."""
    out = stream or sys.stderr
    tty = _interactive(out)
    started = time.monotonic()

    async def tick() -> None:
        while True:
            await asyncio.sleep(0.5 if tty else every)
            seconds = time.monotonic() - started
            if tty:
                out.write(f"\r{label} … {seconds:.0f} s")
            else:
                out.write(f"{label} … {seconds:.0f} s\n")
            out.flush()

    task = asyncio.create_task(tick())
    try:
        yield
    finally:
        task.cancel()
        if tty:
            out.write("\r\033[K")
        out.write(f"{label}: done in {time.monotonic() - started:.1f} s\n")
        out.flush()


def counter(label: str, total: int, *, stream: TextIO | None = None) -> Callable[[int], None]:
    """A function to call with the count done so far; it prints the progress line."""
    out = stream or sys.stderr
    tty = _interactive(out)
    started = time.monotonic()

    def update(done: int) -> None:
        share = 100 * done / total if total else 100.0
        count = f"{done:,} / {total:,}".replace(",", " ")
        line = f"{label} {count} ({share:.0f} %), {time.monotonic() - started:.1f} s"
        last = done >= total
        out.write(f"\r{line}\033[K" + ("\n" if last else "") if tty else line + "\n")
        out.flush()

    return update
