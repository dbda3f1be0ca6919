"""The optional background worker of a service (the task-manager's webhook delivery worker)."""

from __future__ import annotations

import json

import pytest

ENVIRONMENTS = ("staging", "production")


def test_worker_is_its_own_service_without_load_balancer(ecs_service, hcl):
    service = ecs_service.resource("aws_ecs_service", "worker")
    assert service["count"] == "${var.worker == null ? 0 : 1}"
    assert "load_balancer" not in service
    assert "health_check_grace_period_seconds" not in service
    assert hcl.block(service["deployment_circuit_breaker"]) == {"enable": True, "rollback": True}
    assert service["desired_count"] == "${var.worker.desired_count}"
    assert hcl.block(service["lifecycle"])["ignore_changes"] == ["task_definition"]
    network = hcl.block(service["network_configuration"])
    assert network["security_groups"] == ["${aws_security_group.worker[0].id}"]
    assert network["subnets"] == "${var.subnet_ids}"
    assert ecs_service.locals["worker_name"] == "${var.name}-worker"


def test_worker_runs_the_same_image_with_its_own_command_and_size(ecs_service):
    container = ecs_service.locals["worker_container"]
    assert "local.image" in container and "var.worker.command" in container
    assert "local.container_secrets" in container  # same secrets, via valueFrom
    assert "aws_cloudwatch_log_group.worker[0].name" in container
    task = ecs_service.resource("aws_ecs_task_definition", "worker")
    assert task["cpu"] == "${var.worker.cpu}" and task["memory"] == "${var.worker.memory}"
    assert task["execution_role_arn"] == "${aws_iam_role.execution.arn}"
    assert task["task_role_arn"] == "${aws_iam_role.task.arn}"
    assert ecs_service.locals["worker_family"] == "${var.name}-worker-${var.environment_name}"


def test_worker_has_no_ingress_and_egress_only_https_and_postgres(ecs_service):
    group = ecs_service.resource("aws_security_group", "worker")
    assert "ingress" not in group and "egress" not in group
    for rule in ecs_service.resources_of("aws_vpc_security_group_ingress_rule").values():
        assert "worker" not in rule["security_group_id"]
    egress = ecs_service.resource("aws_vpc_security_group_egress_rule", "worker")
    assert egress["for_each"] == '${var.worker == null ? toset([]) : toset(["443", "5432"])}'
    assert egress["security_group_id"] == "${aws_security_group.worker[0].id}"
    assert egress["ip_protocol"] == "tcp"
    assert egress["from_port"] == egress["to_port"] == "${tonumber(each.value)}"


def test_worker_logs_to_its_own_log_group(ecs_service):
    group = ecs_service.resource("aws_cloudwatch_log_group", "worker")
    assert group["name"] == "/ecs/${var.environment_name}/${local.worker_name}"
    assert group["retention_in_days"] == "${var.log_retention_days}"
    # The execution role may write it.
    statements = ecs_service.data[("aws_iam_policy_document", "execution")]["statement"]
    logs = next(s for s in statements if s.get("sid") == "Logs")
    assert "aws_cloudwatch_log_group.worker" in logs["resources"]


def test_log_alarms_are_metric_filters_on_the_worker_log_group(ecs_service):
    metric_filter = ecs_service.resource("aws_cloudwatch_log_metric_filter", "worker")
    assert metric_filter["log_group_name"] == "${aws_cloudwatch_log_group.worker[0].name}"
    assert metric_filter["pattern"] == "${each.value.pattern}"
    alarm = ecs_service.resource("aws_cloudwatch_metric_alarm", "worker_log")
    assert alarm["for_each"] == metric_filter["for_each"] == "${local.worker_log_alarms}"
    assert "aws_cloudwatch_log_metric_filter.worker[each.key]" in alarm["metric_name"]
    assert alarm["alarm_actions"] == "${var.alarm_actions}"
    assert alarm["treat_missing_data"] == "${each.value.missing_data}"


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
def test_webhook_alarms_read_the_agreed_log_events(envs, env_name):
    """common.md: webhook_backlog (oldest_pending_age_seconds) and webhook_delivery_failed."""
    service = envs[env_name].modules["platform"]["services"]["task-manager"]
    alarms = service["worker"]["log_alarms"]
    backlog = alarms["webhook-backlog-age"]
    assert _event_of(backlog["pattern"]) == "webhook_backlog"
    assert backlog["value"] == "$.oldest_pending_age_seconds"
    assert backlog["statistic"] == "Maximum"
    # A worker that logs nothing (stopped, crashed) is an alarm too.
    assert backlog["missing_data"] == "breaching"
    assert backlog["period"] * backlog["evaluation_periods"] >= 2 * 60, (
        "backlog is logged every 60 s"
    )
    failed = alarms["webhook-delivery-failed"]
    assert _event_of(failed["pattern"]) == "webhook_delivery_failed"
    assert failed.get("value", "1") == "1" and failed["statistic"] == "Sum"
    assert failed["threshold"] == 0


def _event_of(pattern: str) -> str:
    """The event name a `{ $.event = "name" }` filter pattern selects (and nothing else)."""
    body = pattern.strip()
    assert body.startswith("{") and body.endswith("}"), pattern
    field, _, value = body[1:-1].partition("=")
    assert field.strip() == "$.event", pattern
    return str(json.loads(value.strip()))


def test_platform_passes_the_worker_through_and_lets_the_deploy_role_roll_it(platform):
    assert platform.modules["service"]["worker"] == "${each.value.worker}"
    worker_type = platform.variables["services"]["type"]
    assert "worker = optional(object(" in worker_type.replace("\n", " ")
    outputs = platform.outputs["services"]["value"]
    assert "worker_service_name" in outputs and "worker_task_definition_family" in outputs
