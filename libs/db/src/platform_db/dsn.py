"""PostgreSQL URL handling: what asyncpg accepts, and what a libpq URL may also carry."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# libpq parameters that asyncpg understands in the query string.
_ASYNCPG_QUERY_PARAMS = frozenset(
    {
        "host",
        "port",
        "user",
        "password",
        "dbname",
        "database",
        "passfile",
        "sslmode",
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslcrl",
        "sslpassword",
        "ssl_min_protocol_version",
        "ssl_max_protocol_version",
        "target_session_attrs",
        "krbsrvname",
        "gsslib",
        "service",
        "servicefile",
        "application_name",
        "options",
    }
)
# libpq-only parameters that asyncpg would otherwise send to the server as settings (which
# fails the connection): dropped, with the reason kept for the caller to log.
_DROPPED_PARAMS = {
    "channel_binding": "asyncpg negotiates SCRAM itself; channel binding is not configurable",
    "connect_timeout": "use the pool's connect_timeout argument",
    "pgbouncer": "a hint for the pooler: disables the statement cache",
}
_SCHEMES = ("postgresql", "postgres")
_SSLMODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
_BOOLEAN = frozenset({"1", "0", "true", "false", "yes", "no", "on", "off"})


@dataclass(frozen=True, slots=True)
class ParsedDsn:
    """A URL cleaned for asyncpg, plus what was learned from it."""

    dsn: str
    behind_pooler: bool
    dropped: tuple[str, ...]
    host: str
    database: str

    def redacted(self) -> str:
        """The URL with the password replaced, safe for logs."""
        return redact(self.dsn)


def parse_dsn(url: str) -> ParsedDsn:
    """Validate a ``postgresql://`` URL and make it acceptable to asyncpg.

    ``behind_pooler`` is true for a PgBouncer in transaction mode (Neon's ``-pooler`` hosts, or
    ``pgbouncer=true`` in the query), where server-side prepared statements cannot be cached.
    """
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise ValueError(f"not a PostgreSQL URL (scheme must be one of {', '.join(_SCHEMES)})")
    try:
        port = parts.port  # a non-numeric or out-of-range port raises here, not at connect
    except ValueError:
        raise ValueError("the port must be a number from 1 to 65535") from None
    if port == 0:
        raise ValueError("the port must be a number from 1 to 65535")
    query = parse_qsl(parts.query, keep_blank_values=True)
    _check_values(query)
    kept: list[tuple[str, str]] = []
    dropped: list[str] = []
    pooler_hint = False
    for key, value in query:
        if key == "pgbouncer":
            pooler_hint = value.lower() in {"1", "true", "yes", "on"}
        if key in _DROPPED_PARAMS:
            dropped.append(key)
        elif key in _ASYNCPG_QUERY_PARAMS:
            kept.append((key, value))
        else:
            raise ValueError(f"unsupported connection parameter {key!r} in the database URL")
    host = parts.hostname or dict(kept).get("host", "")
    database = parts.path.lstrip("/") or dict(kept).get("dbname", "")
    cleaned = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))
    return ParsedDsn(
        dsn=cleaned,
        behind_pooler=pooler_hint or "-pooler." in host,
        dropped=tuple(dropped),
        host=host,
        database=database,
    )


def _check_values(query: list[tuple[str, str]]) -> None:
    """Values asyncpg would only refuse at the first connection, with a message that does not
    name the URL."""
    for key, value in query:
        if key == "sslmode" and value not in _SSLMODES:
            raise ValueError(f"sslmode must be one of {', '.join(sorted(_SSLMODES))}")
        if key == "port" and not all(p.isascii() and p.isdigit() for p in value.split(",")):
            raise ValueError("the port must be a number from 1 to 65535")
        if key == "pgbouncer" and value.lower() not in _BOOLEAN:
            raise ValueError("pgbouncer must be true or false")


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))
