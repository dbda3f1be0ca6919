import pytest

from task_manager.settings import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DATABASE_URL",
        "API_KEYS",
        "API_KEYS_SECRET_ID",
        "PORT",
        "CORS_ALLOW_ORIGINS",
        "ENVIRONMENT",
        "LOG_FORMAT",
        "LOG_LEVEL",
        "RATE_LIMIT_PER_MINUTE",
        "ENV_FILE",
        "DB_COMMAND_TIMEOUT_SECONDS",
        "DB_CONNECT_TIMEOUT_SECONDS",
        "DB_POOL_MAX_SIZE",
        "AWS_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")


def test_comma_separated_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEYS", " key-one-0123456789abcdef, key-two-0123456789abcdef ,")
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://cathouse.example,http://localhost:3000")
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    settings = load_settings()
    assert settings.plain_api_keys() == ["key-one-0123456789abcdef", "key-two-0123456789abcdef"]
    assert settings.cors_allow_origins == ["https://cathouse.example", "http://localhost:3000"]
    assert settings.port == 9000
    assert settings.log_level == "warning"
    assert "key-one" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "API_KEYS"),
        ({"API_KEYS": "k" * 20, "PORT": "http"}, "PORT"),
        ({"API_KEYS": "k" * 20, "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"API_KEYS": "k" * 20, "DATABASE_URL": "postgresql://h/d?sslmode=bogus"}, "DATABASE_URL"),
        ({"API_KEYS": "k" * 20, "DATABASE_URL": "postgresql://h:port/d"}, "DATABASE_URL"),
        ({"API_KEYS": "k" * 20, "RATE_LIMIT_PER_MINUTE": "-1"}, "RATE_LIMIT_PER_MINUTE"),
        ({"API_KEYS": "k" * 20, "LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"API_KEYS": "k" * 20, "CORS_ALLOW_ORIGINS": "cathouse.example"}, "CORS_ALLOW_ORIGINS"),
        ({"API_KEYS": "k" * 20, "ENVIRONMENT": "production"}, "DATABASE_URL"),
    ],
)
def test_invalid_configuration_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=variable):
        load_settings()


def test_env_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env_file = tmp_path / "staging.env"
    env_file.write_text("API_KEYS=file-key-0123456789abcdef\nPORT=8123\n")
    monkeypatch.setenv("ENV_FILE", str(env_file))
    settings = load_settings()
    assert settings.port == 8123
    assert settings.plain_api_keys() == ["file-key-0123456789abcdef"]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"API_KEYS_SECRET_ID": "a", "API_KEYS_CACHE_SECONDS": "0"}, "API_KEYS_CACHE_SECONDS"),
        ({"API_KEYS": "k" * 20, "WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY"),
        ({"API_KEYS": "k" * 20, "GRACEFUL_TIMEOUT_SECONDS": "soon"}, "GRACEFUL_TIMEOUT_SECONDS"),
        (
            {
                "API_KEYS": "k" * 20,
                "ENVIRONMENT": "production",
                "DATABASE_URL": "postgresql://h/d",
                "CORS_ALLOW_ORIGINS": "*",
            },
            "CORS_ALLOW_ORIGINS",
        ),
    ],
)
def test_invalid_edge_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=variable):
        load_settings()


@pytest.mark.parametrize("environment", ["development", "staging", "production"])
def test_env_templates_are_valid(monkeypatch: pytest.MonkeyPatch, environment: str) -> None:
    from pathlib import Path

    template = Path(__file__).parents[1] / "env" / f"{environment}.env.example"
    monkeypatch.setenv("ENV_FILE", str(template))
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example/tasks?sslmode=require")
    settings = load_settings()
    assert settings.environment.value == environment
    assert settings.api_keys or settings.api_keys_secret_id
    settings_lines = [
        line for line in template.read_text().splitlines() if line and not line.startswith("#")
    ]
    assert not any(line.startswith("DATABASE_URL=") for line in settings_lines)  # a secret
    if environment != "development":  # deployed keys live in Secrets Manager only
        assert not any(line.startswith("API_KEYS=") for line in settings_lines)
        assert settings.api_keys_secret_id and settings.log_format.value == "json"


def test_secret_values_cover_keys_and_the_database_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("API_KEYS", "key-one-0123456789abcdef")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:p%40ss-word-1@db.example/tasks")
    values = load_settings().secret_values()
    assert "key-one-0123456789abcdef" in values
    assert "p@ss-word-1" in values and "p%40ss-word-1" in values
