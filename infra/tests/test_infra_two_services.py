"""A second service is one more entry of the platform module's `services` map."""

from __future__ import annotations

# Inputs every service gets from the shared modules, never from its own entry.
SHARED_INPUTS = {
    "environment_name": "${var.environment}",
    "cluster_arn": "${module.cluster.arn}",
    "cluster_name": "${module.cluster.name}",
    "vpc_id": "${module.network.vpc_id}",
    "subnet_ids": "${module.network.task_subnet_ids}",
    "assign_public_ip": "${module.network.tasks_assign_public_ip}",
    "alb_security_group_id": "${module.alb.security_group_id}",
    "alb_arn_suffix": "${module.alb.arn_suffix}",
    "listener_arn": "${module.alb.https_listener_arn}",
    "host_headers": ["${module.alb.domain_name}"],
    "alarm_actions": ["${aws_sns_topic.alarms.arn}"],
}


def _service_blocks(root, hcl):
    return {
        name: body
        for name, body in root.modules.items()
        if (root.path / body["source"]).resolve() == (hcl.MODULES_DIR / "ecs-service").resolve()
    }


def test_platform_instantiates_the_service_module_once_per_entry(platform, hcl):
    services = _service_blocks(platform, hcl)
    assert set(services) == {"service"}, "one for_each block, not one block per service"
    block = services["service"]
    assert block["for_each"] == "${var.services}"
    assert block["name"] == "${each.key}"


def test_service_instances_differ_only_in_service_specific_values(platform, hcl):
    block = _service_blocks(platform, hcl)["service"]
    for key, value in SHARED_INPUTS.items():
        assert block[key] == value, key
    for key, value in block.items():
        if key in SHARED_INPUTS:
            assert "each." not in str(value), key


def test_fixture_adds_a_second_service_as_one_more_entry(two_services, hcl):
    assert set(two_services.modules) == {"platform"}
    call = two_services.modules["platform"]
    assert (two_services.path / call["source"]).resolve() == (
        hcl.MODULES_DIR / "platform"
    ).resolve()
    services = call["services"]
    assert set(services) == {"task-manager", "email-manager"}
    priorities = [service["listener_rule_priority"] for service in services.values()]
    assert len(set(priorities)) == len(priorities), "listener rule priorities must differ"
    assert sum(1 for service in services.values() if service.get("default_for_host")) <= 1
    assert services["email-manager"]["path_patterns"] == ["/email/v1/*"]
    assert services["email-manager"]["migration_command"] == ["email-manager", "migrate"]


def test_platform_rejects_conflicting_services(platform, hcl):
    validation = platform.variables["services"]["validation"]
    conditions = " ".join(rule["condition"] for rule in validation)
    # Overlapping listener rule priority ranges and two host catch-alls are rejected at plan time.
    assert "a.listener_rule_priority + ceil(length(a.path_patterns) / 4)" in conditions
    assert "service.default_for_host" in conditions
    assert "^[a-z][a-z0-9-]{1,19}$" in conditions  # same name rule as modules/ecs-service


def test_deploy_role_covers_every_service(platform):
    assert platform.locals["services"] == "${values(module.service)}"


def test_every_environment_runs_the_task_manager_through_the_platform(envs, platform, hcl):
    assert "service" in _service_blocks(platform, hcl)
    for env_name, env in envs.items():
        assert "task-manager" in env.modules["platform"]["services"], (
            f"{env_name} does not declare the task-manager service"
        )
