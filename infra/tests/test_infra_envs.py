"""The staging and production root modules."""

from __future__ import annotations

import re

import pytest

ENVIRONMENTS = ("staging", "production")
SECRET_LOOKING = re.compile(r"DATABASE_URL|KEY|SECRET|PASSWORD|TOKEN", re.IGNORECASE)
# Names that look secret but hold non-secret configuration.
NOT_SECRETS = {
    "API_KEYS_CACHE_SECONDS": "a cache duration",
    "API_KEYS_SECRET_ID": "the IDs of the secrets, computed from the api_keys module",
}


def test_both_environments_exist(envs):
    assert set(ENVIRONMENTS) <= set(envs)


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_s3_backend_with_locking(envs, env_name, hcl):
    backends = [
        hcl.block(entry["backend"]) for entry in envs[env_name].terraform if "backend" in entry
    ]
    assert len(backends) == 1
    s3 = backends[0]["s3"]
    assert s3["use_lockfile"] is True
    assert s3["encrypt"] is True
    assert s3["key"] == f"envs/{env_name}/terraform.tfstate"


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_environment_composes_every_module(envs, env_name, hcl):
    sources = {name: body["source"] for name, body in envs[env_name].modules.items()}
    expected = {
        f"../../modules/{name}"
        for name in ("network", "ecs-cluster", "alb", "api-keys", "ecs-service", "github-oidc")
    }
    assert expected <= set(sources.values())
    for source in sources.values():
        assert (hcl.ENVS_DIR / env_name / source).resolve().is_dir(), source


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_task_manager_service_settings(envs, env_name):
    env = envs[env_name]
    assert env.locals["environment"] == env_name
    assert env.locals["name"] == "cathouse-${local.environment}"  # ECS cluster cathouse-<env>
    service = env.modules["task_manager"]
    assert service["source"] == "../../modules/ecs-service"
    assert service["name"] == "task-manager"
    assert service["cpu"] == 256 and service["memory"] == 512
    assert service["container_port"] == 8000
    assert service["health_check_path"] == "/health"
    assert service["default_for_host"] is True
    assert service["path_patterns"] == ["/v1/*", "/health*", "/docs*", "/redoc*", "/openapi.json"]
    assert service["managed_secrets"] == ["DATABASE_URL"]
    assert service["runtime_secret_arns"] == "${module.api_keys.secret_arns}"
    expected_env = {
        "API_KEYS_SECRET_ID",
        "API_KEYS_CACHE_SECONDS",
        "CORS_ALLOW_ORIGINS",
        "RATE_LIMIT_PER_MINUTE",
        "LOG_LEVEL",
        "WEB_CONCURRENCY",
    }
    assert set(service["environment"]) == expected_env


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_no_secret_as_plain_environment_value(envs, env_name, hcl):
    for module_name, module in envs[env_name].modules.items():
        for var_name, value in (module.get("environment") or {}).items():
            assert var_name != "DATABASE_URL", (
                f"{module_name}: DATABASE_URL must be injected as a secret"
            )
            if SECRET_LOOKING.search(var_name) and var_name not in NOT_SECRETS:
                pytest.fail(
                    f"{module_name}: {var_name} looks secret; inject it through secrets/valueFrom"
                )
        secret_id = (module.get("environment") or {}).get("API_KEYS_SECRET_ID")
        if secret_id is not None:
            assert hcl.is_expression(secret_id) and "module.api_keys.secret_arns" in secret_id


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_outputs_for_the_deploy_workflow(envs, env_name):
    outputs = envs[env_name].outputs
    for name in (
        "ecs_cluster_name",
        "ecs_service_name",
        "migration_task_definition_family",
        "ecr_repository_name",
        "migration_subnet_ids",
        "migration_security_group_ids",
        "migration_assign_public_ip",
        "github_deploy_role_arn",
    ):
        assert name in outputs, f"{env_name} lacks output {name}"
    assert outputs["github_deploy_role_arn"]["value"] == "${module.github_oidc.role_arn}"


def test_module_sources_point_at_existing_modules(envs, two_services, hcl):
    for root in [*envs.values(), two_services]:
        for body in root.modules.values():
            assert (root.path / body["source"]).resolve().parent == hcl.MODULES_DIR.resolve()
