"""The scaffold's rules, on a small fake repository (fast; tools/scaffold/check.sh generates a
real service in a copy of the repository and runs its tests, lint and Pants)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import hcl2
import pytest

_spec = importlib.util.spec_from_file_location(
    "new_service", Path(__file__).resolve().parents[1] / "new_service.py"
)
assert _spec is not None and _spec.loader is not None
new_service = importlib.util.module_from_spec(_spec)
sys.modules["new_service"] = new_service
_spec.loader.exec_module(new_service)

REPO = Path(__file__).resolve().parents[3]
ScaffoldError = new_service.ScaffoldError

# An environment root shaped like infra/envs/*/main.tf: braces in strings and comments too.
MAIN_TF = """module "platform" {
  source = "../../modules/platform"

  # --- Services: one entry per service { not a brace that counts
  services = {
    # a { in a comment
    "task-manager" = {
      listener_rule_priority = 100
      subdomain              = null
      environment = {
        LOG_LEVEL = "debug"
      }
      worker = {
        log_alarms = {
          backlog = {
            pattern = "{ $.event = \\"webhook_backlog\\" }"
          }
        }
      }
    }
  }
}
"""
DOCKER_BUILD = 'files(name="build-venv", sources=["build-venv.sh"])\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for env in ("staging", "production"):
        (tmp_path / "infra" / "envs" / env).mkdir(parents=True)
        (tmp_path / "infra" / "envs" / env / "main.tf").write_text(MAIN_TF)
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "BUILD").write_text(DOCKER_BUILD)
    task_manager = tmp_path / "services" / "task-manager"
    (task_manager / "src" / "task_manager").mkdir(parents=True)
    (task_manager / "src" / "task_manager" / "__init__.py").write_text("")
    (task_manager / "pyproject.toml").write_text('[project]\nname = "task-manager"\n')
    (tmp_path / "libs" / "db").mkdir(parents=True)
    (tmp_path / "libs" / "db" / "pyproject.toml").write_text('[project]\nname = "platform-db"\n')
    return tmp_path


def _services(repo: Path, env: str) -> dict[str, dict]:
    with (repo / "infra" / "envs" / env / "main.tf").open() as handle:
        services = hcl2.load(handle)["module"][0]['"platform"']["services"]
    return {key.strip('"'): value for key, value in services.items()}


def _generate(repo: Path, name: str, resource: str = "items") -> list[Path]:
    written: list[Path] = new_service.generate(
        repo, new_service.plan_service(repo, name, resource, None)
    )
    return written


# Names no real service takes: a generated email-manager may already be in the repository.
def test_a_service_is_generated_with_its_root_entries(repo: Path) -> None:
    written = _generate(repo, "fixture-mailer", "messages")

    package = repo / "services" / "fixture-mailer" / "src" / "fixture_mailer"
    for module in ("app", "cli", "settings", "errors", "gunicorn_conf", "migrations/__init__"):
        assert (package / f"{module}.py").is_file(), module
    domain = package / "messages"
    assert {p.name for p in domain.iterdir()} >= {"router.py", "service.py", "repository.py"}
    assert (package / "migrations" / "versions" / "0001_messages.py").is_file()
    assert (repo / "services" / "fixture-mailer" / "tests" / "test_messages.py").is_file()
    for path in written:
        text = (repo / path).read_text()
        assert "{{" not in text and "{%" not in text, path
        if path.suffix == ".py":
            ast.parse(text, str(path))  # valid Python whatever the names
    assert (repo / "docker" / "BUILD").read_text().endswith('service_image("fixture-mailer")\n')
    assert '"/{message_id}"' in (domain / "router.py").read_text()
    assert '".data/fixture-mailer/postgres"' in (package / "settings.py").read_text()
    for env in ("staging", "production"):
        entry = _services(repo, env)["fixture-mailer"]
        assert entry["listener_rule_priority"] == 200
        assert entry["subdomain"] == '"fixture"'
        assert set(_services(repo, env)) == {"task-manager", "fixture-mailer"}


def test_a_second_service_gets_the_next_priority_and_a_free_subdomain(repo: Path) -> None:
    _generate(repo, "fixture-mailer")
    _generate(repo, "fixture-sender")
    entry = _services(repo, "staging")["fixture-sender"]
    assert entry["listener_rule_priority"] == 300
    assert entry["subdomain"] == '"fixture-sender"'  # "fixture" is taken


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Email-manager", "lower-case DNS label"),
        ("fixture_mailer", "lower-case DNS label"),
        ("1mail", "lower-case DNS label"),
        ("e", "lower-case DNS label"),
        ("email-", "lower-case DNS label"),
        ("email--manager", "lower-case DNS label"),
        ("a" * 21, "lower-case DNS label"),
        ("json", "shadow Python's own module"),
        ("import", "shadow Python's own module"),
        ("task-manager", "services/task-manager already exists"),
        ("platform-db", "already the name of a distribution"),
        ("pytest", "already the name of a distribution"),
    ],
)
def test_a_bad_name_is_refused_with_the_reason(repo: Path, name: str, reason: str) -> None:
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    with pytest.raises(ScaffoldError, match=reason):
        _generate(repo, name)
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before  # nothing written


def test_a_service_already_in_terraform_is_refused(repo: Path) -> None:
    text = MAIN_TF.replace('"task-manager" = {', '"billing" = {')
    (repo / "infra" / "envs" / "staging" / "main.tf").write_text(text)
    with pytest.raises(ScaffoldError, match="already has a Terraform services entry"):
        _generate(repo, "billing")


@pytest.mark.parametrize("resource", ["item", "Items", "migrations", "my-items", "s"])
def test_a_bad_resource_is_refused(repo: Path, resource: str) -> None:
    with pytest.raises(ScaffoldError, match="--resource"):
        _generate(repo, "fixture-mailer", resource)


def test_the_cli_refuses_with_a_message_and_status_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new_service.main(["Bad", "--repo", str(repo), "--no-lock"]) == 2
    assert "not a valid service name" in capsys.readouterr().err


@pytest.mark.skipif(
    not (REPO / "infra" / "envs" / "staging" / "main.tf").is_file(),
    reason="needs the repository's infra/envs (Pants ignores infra/)",
)
def test_the_real_environment_roots_take_an_entry() -> None:
    envs = new_service.terraform_services(REPO)
    assert len(envs) >= 2
    priority, subdomain = new_service.choose_routing("zz-probe", envs)
    assert subdomain == "zz"
    entry = f'    "zz-probe" = {{\n      listener_rule_priority = {priority}\n    }}\n'
    for main_tf in envs:
        text = new_service.insert_service_entry(main_tf.read_text(), entry)
        services = hcl2.loads(text)["module"][0]['"platform"']["services"]
        assert '"zz-probe"' in services
        assert (
            services['"task-manager"']
            == hcl2.load(main_tf.open())["module"][0]['"platform"']["services"]['"task-manager"']
        )
