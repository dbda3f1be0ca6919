"""The env templates (services/<name>/env/<env>.env.example) against what Terraform sets.

For every service of an environment root that has a template for that environment: the same
variable names, the same values wherever the template gives one, and the secrets injected from
Secrets Manager (managed_secrets) never set as plain variables. Drift fails CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ENVIRONMENTS = ("staging", "production")
REPO = Path(__file__).resolve().parents[2]


def _template(path: Path) -> tuple[dict[str, str], str]:
    """KEY=VALUE lines of a template, and its comments."""
    values: dict[str, str] = {}
    comments = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            comments.append(stripped)
            continue
        name, sep, value = stripped.partition("=")
        assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"{path}: bad line {line!r}"
        assert name not in values, f"{path}: {name} set twice"
        values[name] = value
    return values, "\n".join(comments)


def _module_keys(expression: str) -> set[str]:
    return set(re.findall(r"\b([A-Z][A-Z0-9_]*)\s*=", expression))


def _terraform_environment(env_name, env, service_name):
    """Python twin of the variables the modules give a service's containers in env_name."""
    call = env.modules["platform"]
    entry = call["services"][service_name]
    variables = {
        # modules/ecs-service locals.environment
        "PORT": str(entry.get("container_port", 8000)),
        "AWS_REGION": env.variables["aws_region"]["default"],
        "LOG_FORMAT": "json",
        # modules/platform: ENVIRONMENT = var.environment (= the root's local.environment)
        "ENVIRONMENT": env.locals["environment"],
    }
    if entry.get("read_api_keys", True):
        # The platform passes the ARNs of these secrets; templates name them.
        clients = call.get("api_key_clients", ["cathouse-platform"])
        variables["API_KEYS_SECRET_ID"] = ",".join(
            f"cathouse-{env_name}/api-keys/{client}" for client in clients
        )
    variables.update(entry.get("environment") or {})
    return variables, entry.get("managed_secrets", ["DATABASE_URL"])


def test_the_twin_matches_the_modules(ecs_service, platform, api_keys):
    """If a module starts setting another variable, _terraform_environment must learn it."""
    assert _module_keys(ecs_service.locals["environment"]) == {"PORT", "AWS_REGION", "LOG_FORMAT"}
    assert 'LOG_FORMAT = "json"' in ecs_service.locals["environment"]
    assert "PORT = tostring(var.container_port)" in ecs_service.locals["environment"]
    assert "AWS_REGION = data.aws_region.current.name" in ecs_service.locals["environment"]
    assert _module_keys(platform.modules["service"]["environment"]) == {
        "ENVIRONMENT",
        "API_KEYS_SECRET_ID",
    }
    assert platform.locals["name"] == "cathouse-${var.environment}"
    assert platform.modules["api_keys"]["name_prefix"] == "${local.name}"
    secret = api_keys.resource("aws_secretsmanager_secret", "api_key")
    assert secret["name"] == "${var.name_prefix}/api-keys/${each.key}"
    assert platform.variables["api_key_clients"]["default"] == ["cathouse-platform"]


def _cases():
    cases = []
    for env_name in ENVIRONMENTS:
        for template in sorted(REPO.glob(f"services/*/env/{env_name}.env.example")):
            cases.append(pytest.param(env_name, template, id=f"{template.parts[-3]}-{env_name}"))
    return cases


def test_every_deployed_template_is_checked():
    ids = {param.id for param in _cases()}
    assert {"task-manager-staging", "task-manager-production"} <= ids


@pytest.mark.parametrize(("env_name", "template"), _cases())
def test_template_matches_terraform(envs, env_name, template):
    service_name = template.parts[-3]
    env = envs[env_name]
    services = env.modules["platform"]["services"]
    assert service_name in services, f"{template} has no services entry in envs/{env_name}"
    expected, managed_secrets = _terraform_environment(env_name, env, service_name)
    values, comments = _template(template)

    assert sorted(values) == sorted(expected), (
        f"{template.relative_to(REPO)} and infra/envs/{env_name} set different variables: "
        f"only in the template {sorted(set(values) - set(expected))}, "
        f"only in Terraform {sorted(set(expected) - set(values))}"
    )
    drift = {
        name: (value, expected[name])
        for name, value in values.items()
        if value != "" and value != expected[name]
    }
    assert not drift, f"{template.relative_to(REPO)}: template vs Terraform values differ: {drift}"

    for secret in managed_secrets:
        assert secret not in values, f"{secret} is injected from Secrets Manager, not set here"
        assert secret in comments, (
            f"{template.relative_to(REPO)} should say where {secret} comes from"
        )


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_worker_environment_does_not_contradict_the_service(envs, env_name):
    for service_name, entry in envs[env_name].modules["platform"]["services"].items():
        worker = entry.get("worker") or {}
        extra = worker.get("environment") or {}
        shared = entry.get("environment") or {}
        clash = {k: v for k, v in extra.items() if k in shared and shared[k] != v}
        assert not clash, (
            f"{service_name}: the worker overrides {clash}; document it in the template"
        )
