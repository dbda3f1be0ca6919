"""A service's command line: ``serve``, ``migrate``, ``openapi`` and its own commands.

cli = ServiceCli(name="task-manager", app_factory="task_manager.app:create_app",
                 settings_class=Settings, migrations=MIGRATIONS, description=__doc__)

@cli.command("stats-recompute", help="...", arguments=add_arguments)
def stats_recompute(args: argparse.Namespace) -> int: ...

main = cli.main   # [project.scripts] task-manager = "task_manager.cli:main"
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson
import structlog

from platform_service.logs import configure_service_logging
from platform_service.migrations import Migrations
from platform_service.settings import ConfigurationError, ServiceSettings

Command = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass
class ServiceCli:
    name: str  # the program name, as in [project.scripts]
    app_factory: str  # "package.app:create_app", called with the settings
    settings_class: type[ServiceSettings]
    migrations: Migrations
    description: str | None = None
    # Environment variables ``serve`` (the local run) sets for the app unless already set,
    # e.g. {"RUN_WORKER_IN_PROCESS": "true"}: a local run stays one command.
    serve_env: dict[str, str] = field(default_factory=dict)
    _commands: list[tuple[str, str, Arguments | None, Command]] = field(default_factory=list)

    def command(
        self, name: str, *, help: str, arguments: Arguments | None = None
    ) -> Callable[[Command], Command]:
        """Register a service-specific command (``arguments`` adds its options)."""

        def register(run: Command) -> Command:
            self._commands.append((name, help, arguments, run))
            return run

        return register

    def fail(self, message: str) -> int:
        print(f"{self.name}: {message}", file=sys.stderr)
        return 2

    def settings_or_exit(self) -> ServiceSettings:
        try:
            return self.settings_class.load()
        except ConfigurationError as exc:
            raise SystemExit(self.fail(str(exc))) from None

    def configured_settings(self) -> ServiceSettings:
        """The settings, with the service's logging configured from them."""
        settings = self.settings_or_exit()
        configure_service_logging(self.name, settings)
        return settings

    def database_url(self, settings: ServiceSettings, *, quiet: bool = False) -> str:
        """DATABASE_URL, or a started embedded PostgreSQL (local runs only; it stops when the
        last process using it exits)."""
        if settings.database_url is not None:
            return settings.database_url.get_secret_value()
        from platform_db.embedded import start_embedded

        server = start_embedded(settings.embedded_db_dir)
        if not quiet:
            print(f"{self.name}: embedded PostgreSQL in {server.data_dir}", file=sys.stderr)
        return server.url

    def banner(self, settings: ServiceSettings, host: str, port: int) -> str:
        """The one line ``serve`` prints: where to look, and where the data lives."""
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - a label
        base = f"http://{shown}:{port}"
        if settings.database_url is None:
            folder = settings.embedded_db_dir.resolve()
            where = f"embedded PostgreSQL in {folder} (stops with the service)"
        else:
            where = f"database {urlsplit(settings.database_url.get_secret_value()).hostname}"
        return f"{self.name}: {base}  docs {base}/docs  health {base}/health  {where}"

    def _serve(self, args: argparse.Namespace) -> int:
        import uvicorn

        from platform_service.server import LimitedHttpToolsProtocol

        settings = self.configured_settings()
        url = self.database_url(settings, quiet=True)
        if settings.database_url is None or args.migrate:
            self.migrations.upgrade(url)
        os.environ["DATABASE_URL"] = url  # the app factory (and reload workers) read it
        for name, value in self.serve_env.items():
            os.environ.setdefault(name, value)
        package = importlib.import_module(self.app_factory.split(".")[0])
        host, port = args.host or settings.host, args.port or settings.port
        print(self.banner(settings, host, port), file=sys.stderr, flush=True)
        uvicorn.run(
            self.app_factory,
            factory=True,
            host=host,
            port=port,
            reload=args.reload,
            reload_dirs=list(package.__path__) if args.reload else None,
            log_config=None,
            access_log=False,
            proxy_headers=True,
            http=LimitedHttpToolsProtocol,  # header size limit, request read timeout
        )
        return 0

    def _migrate(self, args: argparse.Namespace) -> int:
        url = self.database_url(self.configured_settings())
        if args.downgrade:
            self.migrations.downgrade(url, args.downgrade)
        else:
            self.migrations.upgrade(url, args.revision)
        target = args.downgrade or args.revision
        structlog.get_logger(f"{self.name.replace('-', '_')}.migrate").info(
            "migrated", revision=target
        )
        return 0

    def _openapi(self, args: argparse.Namespace) -> int:
        module, _, attribute = self.app_factory.partition(":")
        create_app: Callable[[ServiceSettings], Any] = getattr(
            importlib.import_module(module), attribute
        )
        os.environ.setdefault("API_KEYS", "openapi-dump-placeholder-key")
        schema = create_app(self.settings_class.load()).openapi()
        sys.stdout.write(
            orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
        )
        sys.stdout.write("\n")
        return 0

    def build_parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(
            prog=self.name,
            description=self.description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub = parser.add_subparsers(dest="command", required=True)
        p = sub.add_parser("serve", help="run the API with uvicorn (development and local runs)")
        p.add_argument("--host", default=None, help="bind address (default HOST or 127.0.0.1)")
        p.add_argument("--port", type=int, default=None, help="port (default PORT or 8000)")
        p.add_argument("--reload", action="store_true", help="restart on source changes")
        p.add_argument("--migrate", action="store_true", help="migrate DATABASE_URL first")
        p.set_defaults(func=self._serve)
        p = sub.add_parser("migrate", help="upgrade the database schema (alembic)")
        p.add_argument("--revision", default="head")
        p.add_argument("--downgrade", metavar="REVISION", default=None)
        p.set_defaults(func=self._migrate)
        p = sub.add_parser("openapi", help="print the OpenAPI document as JSON")
        p.set_defaults(func=self._openapi)
        for name, help_text, arguments, run in self._commands:
            p = sub.add_parser(name, help=help_text)
            if arguments is not None:
                arguments(p)
            p.set_defaults(func=run)
        return parser

    def main(self, argv: Sequence[str] | None = None) -> int:
        args = self.build_parser().parse_args(argv)
        result: int = args.func(args)
        return result
