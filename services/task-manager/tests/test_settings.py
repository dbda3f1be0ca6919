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
