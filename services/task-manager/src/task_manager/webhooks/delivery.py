"""One delivery attempt and the retry schedule.

An attempt resolves the endpoint's host, refuses a non-public address (unless private targets
are allowed), and connects to exactly that checked address (the URL's host goes in ``Host``
and TLS SNI/certificate checks), so DNS cannot answer differently between check and connect.
Redirects are not followed; the response body is never read.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from task_manager.webhooks import signing
from task_manager.webhooks.targets import TargetError, is_forbidden, parse_url, resolve

# Delays before the 2nd … 8th attempt; after the 8th failure the delivery is failed.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
JITTER = 0.10


@dataclass(frozen=True, slots=True)
class Policy:
    timeout_seconds: float
    allow_http: bool
    allow_private: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    retry_after: timedelta | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def record(self) -> dict[str, object]:
        return {
            "at": self.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "status_code": self.status_code,
            "duration_ms": self.duration_ms,
            "error": self.error,
        }


def next_attempt(
    attempts_made: int, now: datetime, retry_after: timedelta | None, rng: random.Random
) -> datetime | None:
    """When to try again after ``attempts_made`` failed attempts; None: give up."""
    if attempts_made > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts_made - 1] * rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return now + delay


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=min(int(value), 86_400))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), min(when - now, timedelta(days=1)))


async def attempt(
    clients: Clients,
    *,
    url: str,
    event_id: str,
    payload: bytes,
    secrets: list[str],
    now: datetime,
    policy: Policy,
) -> Outcome:
    """POST the event once; never raises for a network or receiver failure."""
    started = time.monotonic()

    def done(status: int | None, error: str | None, retry: timedelta | None = None) -> Outcome:
        ms = int((time.monotonic() - started) * 1000)
        return Outcome(now, status, ms, error, retry)

    try:
        target = parse_url(url, allow_http=policy.allow_http)
        addresses = await resolve(target.host, target.port)
    except TargetError:
        return done(None, "dns_error")
    address = addresses[0]
    if not policy.allow_private and is_forbidden(address):
        return done(None, "forbidden_target")
    host_in_url = f"[{address}]" if address.version == 6 else str(address)
    pinned = httpx.URL(url).copy_with(host=host_in_url)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    headers = signing.headers(secrets, event_id, int(now.timestamp()), payload)
    headers["host"] = host_header
    headers["user-agent"] = "task-manager-webhooks/1"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    client = await clients.for_host(target.host)
    try:
        async with asyncio.timeout(policy.timeout_seconds):
            async with client.stream(
                "POST", pinned, content=payload, headers=headers, extensions=extensions
            ) as response:
                status = response.status_code
                retry = None
                if status in (429, 503):
                    retry = parse_retry_after(response.headers.get("retry-after"), now)
                return done(status, None, retry)
    except TimeoutError:
        return done(None, "timeout")
    except httpx.TimeoutException:
        return done(None, "timeout")
    except httpx.HTTPError as exc:
        return done(None, "tls_error" if "SSL" in type(exc).__name__ else "connection_error")
    except OSError:
        return done(None, "connection_error")


class Clients:
    """HTTP clients, one per target host name: connections are pinned to a checked address and
    carry the host's name in SNI, so a kept-alive connection is never reused for another host
    name that happens to share the address. No proxies from the environment, no redirects,
    strict timeouts."""

    def __init__(self, policy: Policy, max_connections: int) -> None:
        self._policy = policy
        self._max = max_connections
        self._clients: dict[str, httpx.AsyncClient] = {}

    async def for_host(self, host: str) -> httpx.AsyncClient:
        client = self._clients.get(host)
        if client is None:
            if len(self._clients) >= 256:  # bounded: start over (in-flight streams finish)
                self._clients.clear()
            client = httpx.AsyncClient(
                timeout=httpx.Timeout(self._policy.timeout_seconds),
                follow_redirects=False,
                trust_env=False,
                limits=httpx.Limits(max_connections=self._max, keepalive_expiry=30),
            )
            self._clients[host] = client
        return client

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
