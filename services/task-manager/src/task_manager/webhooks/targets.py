"""Where a webhook may be sent: URL rules and the SSRF guard.

A target is refused when its host resolves to an address that is not globally routable:
loopback, private, link-local, unique-local, multicast, reserved, unspecified, shared
(100.64/10), documentation ranges, and IPv4-mapped/-translated forms of those. The check is
made at registration (every resolved address) and at each delivery on the address the worker
then connects to (it connects to the checked address itself, so DNS cannot change the answer
in between).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

URL_MAX = 2048
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetError(ValueError):
    """The URL is not an acceptable webhook target; the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str  # as written (lower-cased), without brackets
    port: int


def parse_url(url: str, *, allow_http: bool) -> Target:
    if len(url) > URL_MAX:
        raise TargetError(f"at most {URL_MAX} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetError(f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if allow_http else ("https",)
    if scheme not in allowed:
        raise TargetError("must be an absolute " + (" or ".join(allowed)) + " URL")
    if not parts.hostname:
        raise TargetError("must name a host")
    if parts.username is not None or parts.password is not None:
        raise TargetError("must not carry credentials")
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise TargetError("must not contain spaces or control characters")
    return Target(scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80))


def is_forbidden(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None and is_forbidden(mapped):
            return True
    return bool(
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TargetError(f"host {host!r} does not resolve ({exc.strerror})") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise TargetError(f"host {host!r} does not resolve")
    return addresses


async def check_registration(url: str, *, allow_http: bool, allow_private: bool) -> Target:
    """The parsed target, or TargetError (the 422 of POST/PATCH /v1/webhooks)."""
    target = parse_url(url, allow_http=allow_http)
    addresses = await resolve(target.host, target.port)
    if not allow_private:
        bad = [str(a) for a in addresses if is_forbidden(a)]
        if bad:
            raise TargetError(f"resolves to a non-public address ({', '.join(bad)})")
    return target
