"""The staging and production root modules and the platform module they call.

The composition (network, cluster, ALB, API keys, services, deploy role) lives
once in modules/platform; an env root holds its backend, provider and one
`module "platform"` call with its values.
"""

from __future__ import annotations

import re

import pytest

ENVIRONMENTS = ("staging", "production")
COMPOSED_MODULES = ("network", "ecs-cluster", "alb", "api-keys", "ecs-service", "github-oidc")
SECRET_LOOKING = re.compile(r"DATABASE_URL|KEY|SECRET|PASSWORD|TOKEN", re.IGNORECASE)
# Names that look secret but hold non-secret configuration.
NOT_SECRETS = {
    "API_KEYS_CACHE_SECONDS": "a cache duration",
    "API_KEYS_SECRET_ID": "the IDs of the secrets, computed from the api_keys module",
}
# The env roots' outputs: the deploy contract (docs/infrastructure.md, docs/ci-cd.md).
DEPLOY_CONTRACT_OUTPUTS = (
    "aws_region",
    "ecs_cluster_name",
    "ecs_service_name",
    "task_definition_family",
    "container_name",
    "migration_task_definition_family",
    "migration_container_name",
    "migration_subnet_ids",
    "migration_security_group_ids",
    "migration_assign_public_ip",
    "ecr_repository_name",
    "ecr_repository_url",
    "github_deploy_role_arn",
    "api_url",
    "database_url_secret_arn",
    "api_key_secret_names",
    "log_group_name",
)


def _platform_call(env):
    return env.modules["platform"]


def _environment_keys(expression: str) -> set[str]:
    """Literal keys of the object constructors in an HCL expression."""
    return set(re.findall(r"\{\s*([A-Z][A-Z0-9_]*)\s*=", expression))


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
def test_environment_is_one_platform_call(envs, env_name, hcl):
    env = envs[env_name]
    assert set(env.modules) == {"platform"}
    assert _platform_call(env)["source"] == "../../modules/platform"
    assert (env.path / _platform_call(env)["source"]).resolve() == (
        hcl.MODULES_DIR / "platform"
    ).resolve()
    # Nothing is composed in the env root itself.
    assert env.resources == {} and env.data == {}
    assert env.locals == {"environment": env_name}
    assert _platform_call(env)["environment"] == "${local.environment}"


def test_platform_composes_every_module(platform, hcl):
    sources = {name: body["source"] for name, body in platform.modules.items()}
    assert set(sources.values()) == {f"../{name}" for name in COMPOSED_MODULES}
    for source in sources.values():
        assert (platform.path / source).resolve().is_dir(), source
    assert platform.locals["name"] == "cathouse-${var.environment}"  # ECS cluster cathouse-<env>
    assert "aws_sns_topic" in {type_ for type_, _ in platform.resources}


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_task_manager_service_settings(envs, env_name, platform):
    service = _platform_call(envs[env_name])["services"]["task-manager"]
    assert service["cpu"] == 256 and service["memory"] == 512
    assert service["container_port"] == 8000
    assert service["health_check_path"] == "/health"
    assert service["subdomain"] is None, "the task-manager is served on domain_name itself"
    assert service["managed_secrets"] == ["DATABASE_URL"]
    assert service["read_api_keys"] is True
    assert service["listener_rule_priority"] == 100
    worker = service["worker"]
    assert worker["command"] == ["task-manager", "worker"]
    assert worker["cpu"] == 256 and worker["memory"] == 512 and worker["desired_count"] >= 1

    block = platform.modules["service"]
    assert block["source"] == "../ecs-service"
    assert block["for_each"] == "${var.services}"
    assert block["name"] == "${each.key}"  # the map key is the service name: task-manager
    assert block["environment_name"] == "${var.environment}"
    assert block["cpu"] == "${each.value.cpu}" and block["memory"] == "${each.value.memory}"
    assert block["managed_secrets"] == "${each.value.managed_secrets}"
    assert block["runtime_secret_arns"] == (
        "${each.value.read_api_keys ? module.api_keys.secret_arns : []}"
    )
    added_by_platform = _environment_keys(block["environment"])
    assert added_by_platform == {"ENVIRONMENT", "API_KEYS_SECRET_ID"}
    assert "ENVIRONMENT = var.environment" in block["environment"]
    environment = service["environment"]
    # The pool per process the templates document (not the Settings default of 10), and the
    # webhook settings with the contract's defaults and no http or private targets.
    assert environment["DB_POOL_MAX_SIZE"] == "5"
    assert environment["EVENTS_RETENTION_DAYS"] == "30"
    assert environment["WEBHOOK_TIMEOUT_SECONDS"] == "10"
    assert environment["WEBHOOK_MAX_CONCURRENCY"] == "16"
    assert environment["WEBHOOKS_ALLOW_HTTP"] == "false"
    assert environment["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] == "false"


def _service_entries(root):
    return _platform_call(root)["services"].items()


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_no_secret_as_plain_environment_value(envs, two_services, env_name):
    for root in (envs[env_name], two_services):
        for service_name, service in _service_entries(root):
            for var_name in service.get("environment") or {}:
                assert var_name != "DATABASE_URL", (
                    f"{service_name}: DATABASE_URL must be injected as a secret"
                )
                assert var_name != "API_KEYS_SECRET_ID", "set by the platform module"
                if SECRET_LOOKING.search(var_name) and var_name not in NOT_SECRETS:
                    pytest.fail(
                        f"{service_name}: {var_name} looks secret; inject it through "
                        "secrets/valueFrom"
                    )


def test_platform_adds_only_secret_ids_to_the_environment(platform, hcl):
    environment = platform.modules["service"]["environment"]
    assert hcl.is_expression(environment)
    for var_name in _environment_keys(environment):
        assert var_name != "DATABASE_URL"
        if SECRET_LOOKING.search(var_name):
            assert var_name in NOT_SECRETS, var_name
    assert 'API_KEYS_SECRET_ID = join(",", module.api_keys.secret_arns)' in environment
    # An env cannot override the computed secret IDs nor the environment's name.
    conditions = [v["condition"] for v in platform.variables["services"]["validation"]]
    assert any('"API_KEYS_SECRET_ID"' in condition for condition in conditions)
    assert any('"ENVIRONMENT"' in condition for condition in conditions)


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_outputs_for_the_deploy_workflow(envs, env_name, platform):
    outputs = envs[env_name].outputs
    for name in DEPLOY_CONTRACT_OUTPUTS:
        assert name in outputs, f"{env_name} lacks output {name}"
        assert outputs[name]["value"] == f"${{module.platform.{name}}}", name
        assert name in platform.outputs, f"platform lacks output {name}"
    assert outputs["services"]["value"] == "${module.platform.services}"
    assert platform.outputs["github_deploy_role_arn"]["value"] == "${module.github_oidc.role_arn}"
    assert platform.outputs["ecs_cluster_name"]["value"] == "${module.cluster.name}"
    assert platform.outputs["migration_subnet_ids"]["value"] == (
        "${module.network.task_subnet_ids}"
    )
    assert platform.outputs["ecs_service_name"]["value"] == "${local.primary.service_name}"
    assert platform.variables["primary_service"]["default"] == "task-manager"


def test_deploy_contract_outputs_are_documented(hcl):
    docs = (hcl.INFRA.parent / "docs" / "infrastructure.md").read_text(encoding="utf-8")
    for name in ("ecs_cluster_name", "migration_subnet_ids", "github_deploy_role_arn"):
        assert f"`{name}`" in docs, name


def test_module_sources_point_at_existing_modules(envs, two_services, platform, hcl):
    for root in [*envs.values(), two_services, platform]:
        for body in root.modules.values():
            assert (root.path / body["source"]).resolve().parent == hcl.MODULES_DIR.resolve()


def _shape(value):
    """The structure of a value without its literals: dict keys and nesting only."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return [_shape(item) for item in value]
    return type(value).__name__ if not isinstance(value, str) else "str"


def test_env_roots_differ_only_in_values(envs):
    staging, production = envs["staging"], envs["production"]
    assert sorted(p.name for p in staging.path.glob("*.tf")) == sorted(
        p.name for p in production.path.glob("*.tf")
    )
    # Same declarations: no resource, data source, module, variable or output in one env only.
    assert set(staging.resources) == set(production.resources)
    assert set(staging.data) == set(production.data)
    assert set(staging.modules) == set(production.modules)
    assert set(staging.locals) == set(production.locals)
    # Variables, outputs, providers and state moves are identical, not just alike.
    assert staging.variables == production.variables
    assert staging.outputs == production.outputs
    assert staging.providers == production.providers
    # The platform calls set the same arguments and service entries; only values differ.
    for name in staging.modules:
        assert _shape(staging.modules[name]) == _shape(production.modules[name]), name
    # The terraform blocks (versions, backend) differ only in the state key.
    assert _without_state_key(staging.terraform) == _without_state_key(production.terraform)


def _without_state_key(terraform_blocks):
    """terraform blocks with the backend's state key removed."""
    blocks = []
    for entry in terraform_blocks:
        if "backend" in entry:
            backends = [
                {kind: {k: v for k, v in settings.items() if k != "key"}}
                for backend in entry["backend"]
                for kind, settings in backend.items()
            ]
            entry = {**entry, "backend": backends}
        blocks.append(entry)
    return blocks


def test_production_reuses_the_account_wide_resources_of_staging(envs):
    staging, production = _platform_call(envs["staging"]), _platform_call(envs["production"])
    assert staging["create_oidc_provider"] is True
    assert staging["create_ecr_repositories"] is True
    assert production["create_oidc_provider"] is False
    assert production["create_ecr_repositories"] is False
    assert production["enable_nat_gateway"] is True and staging["enable_nat_gateway"] is False
    assert staging["cidr_block"] != production["cidr_block"]


def _secret_name_rules(ecs_service, hcl):
    """The regexes of the ecs-service `environment` and `worker` validations, as Python's re
    reads them (RE2 and re agree on this subset)."""
    rules = []
    for variable in ("environment", "worker"):
        for validation in ecs_service.variables[variable]["validation"]:
            match = re.search(r'regex\("(\(\?i\).+?)", env_name\)', validation["condition"])
            if match:
                rules.append(re.compile(match.group(1).replace("\\\\", "\\")))
    assert len(rules) == 2
    return rules


def test_secret_name_rules_refuse_secrets_and_accept_the_settings(ecs_service, hcl):
    for rule in _secret_name_rules(ecs_service, hcl):
        for name in (
            "DATABASE_URL",
            "DB_PASSWORD",
            "GH_TOKEN",
            "PRIVATE_KEY",
            "API_KEY",
            "X_SECRET",
        ):
            assert rule.search(name), name
        for name in (
            "WEBHOOKS_ALLOW_PRIVATE_TARGETS",
            "API_KEYS_SECRET_ID",
            "API_KEYS_CACHE_SECONDS",
        ):
            assert not rule.search(name), name


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_every_entry_passes_the_secret_name_rules_at_plan_time(
    envs, two_services, ecs_service, hcl, env_name
):
    """terraform validate cannot run here: apply the module's validations to the entries."""
    rules = _secret_name_rules(ecs_service, hcl)
    for root in (envs[env_name], two_services):
        for service_name, service in _service_entries(root):
            worker = service.get("worker") or {}
            names = [*(service.get("environment") or {}), *(worker.get("environment") or {})]
            refused = [name for name in names for rule in rules if rule.search(name)]
            assert not refused, f"{service_name}: the ecs-service module would refuse {refused}"
