"""The service's notion of "now". Everything time-dependent reads it from the app's state
(``service_state(app).clock``), so tests can control time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Protocol

from fastapi import Depends, Request


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def get_clock(request: Request) -> Clock:  # async: no thread pool hop
    clock: Clock = request.app.state.service.clock
    return clock


AppClock = Annotated[Clock, Depends(get_clock)]
