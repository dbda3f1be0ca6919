"""``task-manager``: the service's entry point.

task-manager serve [--reload]   run the API (embedded PostgreSQL when DATABASE_URL is unset)
task-manager migrate            upgrade the schema to the latest migration
task-manager openapi            print the OpenAPI document
task-manager worker             deliver webhooks and purge expired events (SIGTERM stops)
task-manager stats-recompute (--user USER_ID | --all)
                                rebuild the stats aggregates from the tasks and completions
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from platform_service import ServiceCli
from task_manager.migrations import MIGRATIONS
from task_manager.settings import Settings

cli = ServiceCli(
    name="task-manager",
    app_factory="task_manager.app:create_app",
    settings_class=Settings,
    migrations=MIGRATIONS,
    description=__doc__,
    # A local run stays one command: the API process also runs one webhook worker.
    serve_env={"RUN_WORKER_IN_PROCESS": "true"},
)


def _stats_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", metavar="USER_ID", help="one user")
    who.add_argument("--all", action="store_true", help="every user (blocks task writes)")


@cli.command(
    "stats-recompute",
    help="rebuild the stats aggregates from the tasks and completions (repair)",
    arguments=_stats_arguments,
)
def stats_recompute(args: argparse.Namespace) -> int:
    from platform_logging.progress import elapsed
    from task_manager.stats.maintenance import recompute_stats

    settings = cli.configured_settings()
    user = None if args.all else args.user
    label = "task-manager: rebuilding the stats of " + ("every user" if user is None else user)

    async def run(url: str) -> int:
        async with elapsed(label):  # one long statement: show that it is still running
            return await recompute_stats(url, user)

    try:
        users = asyncio.run(run(cli.database_url(settings)))
    except ValueError as exc:
        return cli.fail(f"--user: {exc}")
    scope = "all users" if args.all else f"user {args.user}"
    print(f"task-manager: stats rebuilt for {scope} ({users} with tasks)", file=sys.stderr)
    return 0


@cli.command("worker", help="deliver webhooks (any number may run; SIGTERM stops)")
def worker(args: argparse.Namespace) -> int:
    from task_manager.worker import run_worker

    settings = cli.configured_settings()
    assert isinstance(settings, Settings)
    return asyncio.run(run_worker(settings, cli.database_url(settings)))


main = cli.main
