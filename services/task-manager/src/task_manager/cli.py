"""``task-manager``: the service's entry point.

task-manager serve [--reload]   run the API (embedded PostgreSQL when DATABASE_URL is unset)
task-manager migrate            upgrade the schema to the latest migration
task-manager openapi            print the OpenAPI document
task-manager stats-recompute (--user USER_ID | --all)
                                rebuild the stats aggregates from the tasks table
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

import orjson
import structlog

from task_manager.logs import configure_service_logging
from task_manager.settings import ConfigurationError, Settings, load_settings


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        print(f"task-manager: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _database_url(settings: Settings, *, quiet: bool = False) -> str:
    """DATABASE_URL, or a started embedded PostgreSQL (local runs only)."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    from platform_db.embedded import start_embedded

    server = start_embedded(settings.embedded_db_dir)
    if not quiet:
        print(f"task-manager: embedded PostgreSQL in {server.data_dir}", file=sys.stderr)
    return server.url


def banner(settings: Settings, host: str, port: int) -> str:
    """The one line ``serve`` prints: where to look, and where the data lives."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - a label
    base = f"http://{shown}:{port}"
    if settings.database_url is None:
        folder = settings.embedded_db_dir.resolve()
        where = f"embedded PostgreSQL in {folder} (stops with the service)"
    else:
        where = f"database {urlsplit(settings.database_url.get_secret_value()).hostname}"
    return f"task-manager: {base}  docs {base}/docs  health {base}/health  {where}"


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from task_manager.migrations import upgrade

    settings = _settings_or_exit()
    configure_service_logging(settings)
    url = _database_url(settings, quiet=True)
    if settings.database_url is None or args.migrate:
        upgrade(url)
    os.environ["DATABASE_URL"] = url  # the app factory (and reload workers) read it
    host, port = args.host or settings.host, args.port or settings.port
    print(banner(settings, host, port), file=sys.stderr, flush=True)
    uvicorn.run(
        "task_manager.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=args.reload,
        reload_dirs=[os.path.dirname(__file__)] if args.reload else None,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


def migrate(args: argparse.Namespace) -> int:
    from task_manager.migrations import downgrade, upgrade

    settings = _settings_or_exit()
    configure_service_logging(settings)
    url = _database_url(settings)
    if args.downgrade:
        downgrade(url, args.downgrade)
    else:
        upgrade(url, args.revision)
    target = args.downgrade or args.revision
    structlog.get_logger("task_manager.migrate").info("migrated", revision=target)
    return 0


def openapi(args: argparse.Namespace) -> int:
    from task_manager.app import create_app

    os.environ.setdefault("API_KEYS", "openapi-dump-placeholder-key")
    schema = create_app(load_settings()).openapi()
    sys.stdout.write(
        orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    )
    sys.stdout.write("\n")
    return 0


def stats_recompute(args: argparse.Namespace) -> int:
    from platform_logging.progress import elapsed
    from task_manager.stats.maintenance import recompute_stats

    settings = _settings_or_exit()
    configure_service_logging(settings)
    user = None if args.all else args.user
    label = "task-manager: rebuilding the stats of " + ("every user" if user is None else user)

    async def run(url: str) -> int:
        async with elapsed(label):  # one long statement: show that it is still running
            return await recompute_stats(url, user)

    try:
        users = asyncio.run(run(_database_url(settings)))
    except ValueError as exc:
        print(f"task-manager: --user: {exc}", file=sys.stderr)
        return 2
    scope = "all users" if args.all else f"user {args.user}"
    print(f"task-manager: stats rebuilt for {scope} ({users} with tasks)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="task-manager",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the API with uvicorn (development and local runs)")
    p.add_argument("--host", default=None, help="bind address (default HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default PORT or 8000)")
    p.add_argument("--reload", action="store_true", help="restart on source changes")
    p.add_argument("--migrate", action="store_true", help="migrate DATABASE_URL before serving")
    p.set_defaults(func=serve)
    p = sub.add_parser("migrate", help="upgrade the database schema (alembic)")
    p.add_argument("--revision", default="head")
    p.add_argument("--downgrade", metavar="REVISION", default=None)
    p.set_defaults(func=migrate)
    p = sub.add_parser("openapi", help="print the OpenAPI document as JSON")
    p.set_defaults(func=openapi)
    p = sub.add_parser(
        "stats-recompute", help="rebuild the stats aggregates from the tasks (repair)"
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", metavar="USER_ID", help="one user")
    who.add_argument("--all", action="store_true", help="every user (blocks task writes)")
    p.set_defaults(func=stats_recompute)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result
