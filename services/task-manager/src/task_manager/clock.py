"""The service's notion of "now" (the platform's clock): created/updated/completed times,
overdue and the stats' "today" read it, so tests can control time."""

from platform_service.clock import AppClock, Clock, SystemClock, get_clock

__all__ = ["AppClock", "Clock", "SystemClock", "get_clock"]
