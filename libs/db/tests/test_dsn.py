import pytest

from platform_db import parse_dsn
from platform_db.dsn import redact, with_database


def test_neon_pooler_url_is_cleaned_and_detected() -> None:
    parsed = parse_dsn(
        "postgresql://app:s3cret@ep-cool-1-pooler.eu-central-1.aws.neon.tech/tasks"
        "?sslmode=require&channel_binding=require"
    )
    assert parsed.behind_pooler
    assert parsed.dropped == ("channel_binding",)
    assert parsed.dsn.endswith("/tasks?sslmode=require")
    assert parsed.database == "tasks"
    assert "s3cret" not in parsed.redacted()


def test_direct_url_keeps_tls_options() -> None:
    parsed = parse_dsn(
        "postgres://u:p@db.example.com:5433/x?sslmode=verify-full&sslrootcert=/ca.pem"
    )
    assert not parsed.behind_pooler
    assert "sslmode=verify-full" in parsed.dsn
    assert "sslrootcert=%2Fca.pem" in parsed.dsn


def test_pgbouncer_hint_disables_statement_cache() -> None:
    assert parse_dsn("postgresql://u@h/db?pgbouncer=true").behind_pooler


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "scheme"),
        ("postgresql://u@h/db?bogus=1", "bogus"),
        ("postgresql://u@h/db?sslmode=bogus", "sslmode"),
        ("postgresql://u@h:port/db", "port"),
        ("postgresql://u@h:99999/db", "port"),
        ("postgresql://u@h:0/db", "port"),
        ("postgresql://u@/db?host=h&port=x5432", "port"),
        ("postgresql://u@h/db?pgbouncer=maybe", "pgbouncer"),
    ],
)
def test_bad_urls_are_rejected(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_dsn(url)


def test_redact_and_with_database() -> None:
    assert redact("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"
    assert with_database("postgresql://u@/a?host=/tmp", "b") == "postgresql://u@/b?host=/tmp"
