"""asyncpg for platform services: a pool factory that handles Neon and PgBouncer, transactions,
and time-ordered primary keys (``uuid7``).

The library takes its configuration as arguments; services read settings and pass them in.
"""

from platform_db.dsn import ParsedDsn, parse_dsn
from platform_db.errors import DatabaseUnavailableError, is_unavailable_error
from platform_db.ids import uuid7
from platform_db.pool import PoolOptions, acquire, connect, create_pool
from platform_db.pooler import PoolerNotDeclaredError
from platform_db.transaction import Connection, transaction

__all__ = [
    "Connection",
    "DatabaseUnavailableError",
    "ParsedDsn",
    "PoolOptions",
    "PoolerNotDeclaredError",
    "acquire",
    "connect",
    "create_pool",
    "is_unavailable_error",
    "parse_dsn",
    "transaction",
    "uuid7",
]
