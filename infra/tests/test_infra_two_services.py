"""A second service is one more entry of the platform module's `services` map."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

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
    assert services["email-manager"]["subdomain"] == "email"
    assert "subdomain" not in services["task-manager"]
    assert services["email-manager"]["migration_command"] == ["email-manager", "migrate"]
    # Any service may declare a worker.
    assert services["email-manager"]["worker"]["command"] == ["email-manager", "worker"]


# --- Routing, as the ALB evaluates it ------------------------------------------------------
# The platform derives each service's host from its entry and the ecs-service module gives it
# one host-only rule; the tests below pin those expressions, then evaluate the rules the way
# the ALB does (lowest priority first, first match wins, path never rewritten).

HOSTS_EXPRESSION = (
    "${{for name, service in var.services : name => service.subdomain == null ? "
    'var.domain_name : "${service.subdomain}.${var.domain_name}"}}'
)


def _hosts(call):
    """Python twin of the platform's local.service_hosts."""
    domain = call["domain_name"]
    return {
        name: domain if entry.get("subdomain") is None else f"{entry['subdomain']}.{domain}"
        for name, entry in call["services"].items()
    }


def _rules(call):
    """(priority, host, service) per listener rule, as modules/ecs-service creates them."""
    hosts = _hosts(call)
    return sorted(
        (entry["listener_rule_priority"], hosts[name], name)
        for name, entry in call["services"].items()
    )


def _route(call, host, path):
    for _priority, rule_host, service in _rules(call):
        if fnmatchcase(host, rule_host):  # host-header condition only: any path matches
            return service, path  # forwarded unchanged: the ALB does not rewrite paths
    return "listener default: JSON 404", path


def test_platform_derives_one_host_per_service(platform, ecs_service):
    assert platform.locals["service_hosts"] == HOSTS_EXPRESSION
    block = platform.modules["service"]
    assert block["host_header"] == "${local.service_hosts[each.key]}"
    alb = platform.modules["alb"]
    assert alb["alternative_names"] == (
        "${sort([for host in values(local.service_hosts) : host if host != var.domain_name])}"
    )
    rule = ecs_service.resources[("aws_lb_listener_rule", "host")]
    assert [list(condition) for condition in rule["condition"]] == [["host_header"]]


@pytest.mark.parametrize(
    ("host", "path", "service"),
    [
        ("api.test.gamificator.click", "/v1/tasks", "task-manager"),
        ("api.test.gamificator.click", "/health", "task-manager"),
        ("api.test.gamificator.click", "/openapi.json", "task-manager"),
        # The old example's prefix is now just an unknown path of the task-manager (its 404).
        ("api.test.gamificator.click", "/email/v1/messages", "task-manager"),
        ("email.api.test.gamificator.click", "/v1/messages", "email-manager"),
        ("email.api.test.gamificator.click", "/health", "email-manager"),
        ("email.api.test.gamificator.click", "/docs", "email-manager"),
        ("other.test.gamificator.click", "/v1/tasks", "listener default: JSON 404"),
    ],
)
def test_each_service_gets_every_path_of_its_host_unchanged(two_services, host, path, service):
    routed_to, forwarded_path = _route(two_services.modules["platform"], host, path)
    assert routed_to == service
    assert forwarded_path == path


def test_every_service_host_is_on_the_certificate_and_in_dns(two_services, alb):
    call = two_services.modules["platform"]
    hosts = _hosts(call)
    assert len(set(hosts.values())) == len(hosts), "two services on one host"
    alternative_names = sorted(host for host in hosts.values() if host != call["domain_name"])
    assert alternative_names == ["email.api.test.gamificator.click"]
    certificate = alb.resources[("aws_acm_certificate", "this")]
    assert certificate["subject_alternative_names"] == "${var.alternative_names}"
    alias = alb.resources[("aws_route53_record", "alternative_alias")]
    assert alias["for_each"] == "${toset(var.alternative_names)}"


def test_platform_rejects_conflicting_services(platform, hcl):
    validation = platform.variables["services"]["validation"]
    conditions = " ".join(rule["condition"] for rule in validation)
    # Equal priorities, two services on domain_name and equal subdomains fail at plan time.
    assert (
        "length(distinct([for service in values(var.services) : service.listener_rule_priority]))"
        in conditions
    )
    assert "service if service.subdomain == null]) <= 1" in conditions
    assert (
        "length(distinct(compact([for service in values(var.services) : service.subdomain])))"
        in conditions
    )
    assert "^[a-z][a-z0-9-]{1,19}$" in conditions  # same name rule as modules/ecs-service


def test_deploy_role_covers_every_service(platform):
    assert platform.locals["services"] == "${values(module.service)}"


def test_every_environment_runs_the_task_manager_through_the_platform(envs, platform, hcl):
    assert "service" in _service_blocks(platform, hcl)
    for env_name, env in envs.items():
        assert "task-manager" in env.modules["platform"]["services"], (
            f"{env_name} does not declare the task-manager service"
        )
