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

import orjson

from task_manager.logs import configure_service_logging
from task_manager.settings import ConfigurationError, Settings, load_settings


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        print(f"task-manager: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _database_url(settings: Settings) -> str:
    """DATABASE_URL, or a started embedded PostgreSQL (local runs only)."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    from platform_db.embedded import start_embedded

    server = start_embedded(settings.embedded_db_dir)
    print(f"task-manager: embedded PostgreSQL in {server.data_dir}", file=sys.stderr)
    return server.url


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from task_manager.migrations import upgrade
    from task_manager.server import LimitedHttpToolsProtocol

    settings = _settings_or_exit()
    configure_service_logging(settings)
    url = _database_url(settings)
    if settings.database_url is None or args.migrate:
        upgrade(url)
    os.environ["DATABASE_URL"] = url  # the app factory (and reload workers) read it
    uvicorn.run(
        "task_manager.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        reload=args.reload,
        reload_dirs=[os.path.dirname(__file__)] if args.reload else None,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        http=LimitedHttpToolsProtocol,  # header size limit, request read timeout
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
    from task_manager.stats.maintenance import recompute_stats

    settings = _settings_or_exit()
    configure_service_logging(settings)
    try:
        users = asyncio.run(
            recompute_stats(_database_url(settings), None if args.all else args.user)
        )
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
