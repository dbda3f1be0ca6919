"""The settings base, the CLI builder, the gunicorn config factory, the migrations runner."""

import argparse
import asyncio

import asyncpg
import pytest

from kit_demo import MIGRATIONS, DemoSettings
from platform_db.testing import fresh_database, postgres_server
from platform_service import ConfigurationError, ServiceCli, gunicorn_config


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "API_KEYS", "API_KEYS_SECRET_ID", "PORT", "ENV_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.chdir("/")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "API_KEYS"),
        ({"API_KEYS": "k" * 20, "NOTES_PER_USER": "0"}, "NOTES_PER_USER"),
        ({"API_KEYS": "k" * 20, "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
    ],
)
def test_invalid_configuration_names_the_unprefixed_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=variable):
        DemoSettings.load()


def test_a_service_extends_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEYS", "k" * 20)
    monkeypatch.setenv("NOTES_PER_USER", "7")
    settings = DemoSettings.load()
    assert settings.notes_per_user == 7 and settings.plain_api_keys() == ["k" * 20]


def test_cli_has_the_standard_commands_and_the_services_own(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = ServiceCli(
        name="demo-service",
        app_factory="kit_demo:create_app",
        settings_class=DemoSettings,
        migrations=MIGRATIONS,
    )
    seen: list[str] = []

    @cli.command("hello", help="say hello", arguments=lambda p: p.add_argument("--to"))
    def hello(args: argparse.Namespace) -> int:
        seen.append(args.to)
        return 0

    commands = cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"serve", "migrate", "openapi", "hello"} <= set(commands)
    assert cli.main(["hello", "--to", "you"]) == 0 and seen == ["you"]
    assert cli.main(["openapi"]) == 0
    assert '"/v1/notes"' in capsys.readouterr().out
    monkeypatch.setenv("PORT", "http")
    with pytest.raises(SystemExit):
        cli.main(["migrate"])
    assert "PORT" in capsys.readouterr().err


def test_gunicorn_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEYS", "k" * 20)
    monkeypatch.setenv("PORT", "8123")
    conf = gunicorn_config("demo-service", "kit_demo:create_app()", DemoSettings)
    assert conf["bind"] == ["0.0.0.0:8123"] and conf["wsgi_app"] == "kit_demo:create_app()"
    assert conf["keepalive"] > 60
    assert conf["worker_class"] == "platform_service.server.LimitedUvicornWorker"
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(SystemExit):
        gunicorn_config("demo-service", "kit_demo:create_app()", DemoSettings)


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r["tablename"] for r in rows}
    finally:
        await conn.close()


def test_migrations_runner_upgrades_and_downgrades_a_services_versions() -> None:
    assert MIGRATIONS.head_revision() == "0001_notes"
    with postgres_server() as server, fresh_database(server, prefix="kit_migrations") as url:
        MIGRATIONS.upgrade(url)
        assert "notes" in asyncio.run(_tables(url))
        MIGRATIONS.downgrade(url, "base")
        assert asyncio.run(_tables(url)) == {"alembic_version"}
