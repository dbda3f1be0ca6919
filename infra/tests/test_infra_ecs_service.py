"""Static checks of the reusable ecs-service module."""

from __future__ import annotations

import re


def test_fargate_defaults_are_quarter_vcpu_and_512_mb(ecs_service):
    assert ecs_service.variable_default("cpu") == 256
    assert ecs_service.variable_default("memory") == 512
    for name in ("service", "migration"):
        task = ecs_service.resource("aws_ecs_task_definition", name)
        assert task["requires_compatibilities"] == ["FARGATE"]
        assert task["network_mode"] == "awsvpc"
        assert task["cpu"] == "${var.cpu}"
        assert task["memory"] == "${var.memory}"


def test_container_listens_on_port_8000_and_gets_port_env(ecs_service):
    assert ecs_service.variable_default("container_port") == 8000
    assert "PORT = tostring(var.container_port)" in ecs_service.locals["environment"]
    assert 'LOG_FORMAT = "json"' in ecs_service.locals["environment"]


def test_target_group_health_check_uses_health_path(ecs_service, hcl):
    assert ecs_service.variable_default("health_check_path") == "/health"
    target_group = ecs_service.resource("aws_lb_target_group", "this")
    health_check = hcl.block(target_group["health_check"])
    assert health_check["path"] == "${var.health_check_path}"
    assert health_check["matcher"] == "200"
    assert target_group["target_type"] == "ip"


def test_service_deploys_with_circuit_breaker_rollback_and_100_200(ecs_service, hcl):
    service = ecs_service.resource("aws_ecs_service", "this")
    breaker = hcl.block(service["deployment_circuit_breaker"])
    assert breaker == {"enable": True, "rollback": True}
    assert service["deployment_minimum_healthy_percent"] == 100
    assert service["deployment_maximum_percent"] == 200
    assert service["launch_type"] == "FARGATE"
    # The deploy workflow owns the image (task definition) and autoscaling the count.
    assert set(hcl.block(service["lifecycle"])["ignore_changes"]) == {
        "task_definition",
        "desired_count",
    }


def test_tasks_accept_traffic_only_from_the_alb_security_group(ecs_service, hcl):
    tasks_sg = ecs_service.resource("aws_security_group", "tasks")
    assert "ingress" not in tasks_sg, "no inline ingress rules on the tasks security group"
    ingress_rules = ecs_service.resources_of("aws_vpc_security_group_ingress_rule")
    assert ingress_rules, "expected an ingress rule from the ALB"
    for rule in ingress_rules.values():
        assert rule["security_group_id"] == "${aws_security_group.tasks.id}"
        assert rule["referenced_security_group_id"] == "${var.alb_security_group_id}"
        assert "cidr_ipv4" not in rule and "cidr_ipv6" not in rule
        assert rule["from_port"] == rule["to_port"] == "${var.container_port}"
    assert not ecs_service.resources_of("aws_security_group_rule")
    service = ecs_service.resource("aws_ecs_service", "this")
    assert hcl.block(service["network_configuration"])["security_groups"] == [
        "${aws_security_group.tasks.id}"
    ]


def test_no_world_ingress_anywhere_except_the_alb(all_modules):
    for path, module in all_modules.items():
        for name, rule in module.resources_of("aws_vpc_security_group_ingress_rule").items():
            if path.name == "alb":
                continue
            assert "cidr_ipv4" not in rule, f"{path.name}: ingress rule {name} opens a CIDR"
        for name, group in module.resources_of("aws_security_group").items():
            assert "ingress" not in group, f"{path.name}: inline ingress on {name}"


def test_tasks_egress_is_limited_to_https_and_postgres(ecs_service):
    assert ecs_service.variable_default("egress_tcp_ports") == [443, 5432]
    egress = ecs_service.resource("aws_vpc_security_group_egress_rule", "tasks")
    assert egress["ip_protocol"] == "tcp"


def test_secrets_are_injected_with_value_from_only(ecs_service, hcl):
    for container in ("app_container", "migration_container"):
        definition = ecs_service.locals[container]
        assert definition["secrets"] == "${local.container_secrets}"
        assert definition["environment"] == "${local.container_environment}"
    assert "valueFrom = local.secret_arns[env_name]" in ecs_service.locals["container_secrets"]
    # DATABASE_URL is a managed secret by default and the environment map refuses it.
    assert ecs_service.variable_default("managed_secrets") == ["DATABASE_URL"]
    validation = hcl.block(ecs_service.variables["environment"]["validation"])
    assert "DATABASE_URL" in validation["condition"]
    assert "PASSWORD" in validation["condition"]


def test_execution_role_reads_exactly_the_injected_secrets(ecs_service, hcl):
    policy = ecs_service.data[("aws_iam_policy_document", "execution")]
    dynamic = policy["dynamic"][0]["statement"]
    content = hcl.block(dynamic["content"])
    assert content["actions"] == ["secretsmanager:GetSecretValue"]
    assert content["resources"] == "${sort(values(local.secret_arns))}"


def test_task_role_reads_all_versions_of_runtime_secrets(ecs_service, hcl):
    policy = ecs_service.data[("aws_iam_policy_document", "task")]
    statement = hcl.block(policy["statement"])
    assert set(statement["actions"]) == {
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "secretsmanager:ListSecretVersionIds",
    }
    assert statement["resources"] == "${var.runtime_secret_arns}"


def test_execution_and_task_roles_are_distinct(ecs_service):
    for name in ("service", "migration"):
        task = ecs_service.resource("aws_ecs_task_definition", name)
        assert task["execution_role_arn"] == "${aws_iam_role.execution.arn}"
        assert task["task_role_arn"] == "${aws_iam_role.task.arn}"


def test_wildcard_resources_only_for_actions_without_resource_scoping(all_modules):
    allowed = {
        "ecr:GetAuthorizationToken",
        "ecs:DescribeTaskDefinition",
        "ecs:RegisterTaskDefinition",
        "ecs:TagResource",  # restricted by the ecs:CreateAction condition
        "secretsmanager:GetRandomPassword",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    }
    for path, module in all_modules.items():
        for (type_, name), policy in module.data.items():
            if type_ != "aws_iam_policy_document":
                continue
            for statement in policy.get("statement", []):
                if statement.get("resources") == ["*"]:
                    extra = set(statement["actions"]) - allowed
                    assert not extra, f"{path.name}/{name}: {extra} on '*'"


def test_migration_task_runs_task_manager_migrate_with_same_image(ecs_service):
    assert ecs_service.variable_default("migration_command") == ["task-manager", "migrate"]
    migration = ecs_service.locals["migration_container"]
    app = ecs_service.locals["app_container"]
    assert migration["command"] == "${var.migration_command}"
    assert migration["image"] == app["image"] == "${local.image}"
    assert "command" not in app, "the service uses the image's default entrypoint (gunicorn)"
    task = ecs_service.resource("aws_ecs_task_definition", "migration")
    assert task["container_definitions"] == "${jsonencode([local.migration_container])}"
    assert ecs_service.locals["migration_family"] == "${var.name}-migrate-${var.environment_name}"


def test_log_group_retention_is_set_everywhere(all_modules):
    found = 0
    for path, module in all_modules.items():
        for name, group in module.resources_of("aws_cloudwatch_log_group").items():
            found += 1
            assert group.get("retention_in_days") not in (None, 0), (
                f"{path.name}/{name} keeps logs forever"
            )
    assert found >= 3


def test_container_logs_go_to_the_service_log_group(ecs_service):
    log_configuration = ecs_service.locals["log_configuration"]
    assert log_configuration["logDriver"] == "awslogs"
    assert log_configuration["options"]["awslogs-group"] == "${aws_cloudwatch_log_group.this.name}"
    assert ecs_service.variable_default("log_retention_days") == 30


def test_ecr_scans_on_push_and_expires_images(ecs_service, hcl):
    repository = ecs_service.resource("aws_ecr_repository", "this")
    assert hcl.block(repository["image_scanning_configuration"])["scan_on_push"] is True
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert ("aws_ecr_lifecycle_policy", "this") in ecs_service.resources


def test_autoscaling_uses_target_tracking(ecs_service, hcl):
    policies = ecs_service.resources_of("aws_appautoscaling_policy")
    metric_types = set()
    for policy in policies.values():
        assert policy["policy_type"] == "TargetTrackingScaling"
        configuration = hcl.block(policy["target_tracking_scaling_policy_configuration"])
        metric_types.add(
            hcl.block(configuration["predefined_metric_specification"])["predefined_metric_type"]
        )
    assert metric_types == {"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"}


def test_alarms_cover_5xx_latency_unhealthy_hosts_cpu_and_memory(ecs_service, hcl):
    alarms = ecs_service.resources_of("aws_cloudwatch_metric_alarm")
    metrics = set()
    for alarm in alarms.values():
        if "metric_name" in alarm:
            metrics.add(alarm["metric_name"])
        for query in alarm.get("metric_query", []):
            if "metric" in query:
                metrics.add(hcl.block(query["metric"])["metric_name"])
    assert {
        "HTTPCode_Target_5XX_Count",
        "TargetResponseTime",
        "UnHealthyHostCount",
        "CPUUtilization",
        "MemoryUtilization",
    } <= metrics
    assert alarms["latency_p99"]["extended_statistic"] == "p99"


def test_one_host_rule_routes_every_path_of_the_service_host(ecs_service, hcl):
    """The ALB does not rewrite paths: a service owns a host and gets all of its paths."""
    rules = ecs_service.resources_of("aws_lb_listener_rule")
    assert set(rules) == {"host"}
    rule = rules["host"]
    assert rule["priority"] == "${var.listener_rule_priority}"
    conditions = rule["condition"]
    assert len(conditions) == 1, "host header only: no path condition to collide or rewrite"
    assert hcl.block(conditions[0]["host_header"])["values"] == ["${var.host_header}"]
    action = hcl.block(rule["action"])
    assert action["type"] == "forward"
    assert action["target_group_arn"] == "${aws_lb_target_group.this.arn}"
    # The task-manager's first path rule becomes the host rule in place (no routing gap).
    assert {"from": "aws_lb_listener_rule.paths[0]", "to": "aws_lb_listener_rule.host"} in [
        {key: value.strip("${}") for key, value in move.items()} for move in ecs_service.moved
    ]


def test_readonly_root_filesystem_with_writable_tmp(ecs_service):
    for container in ("app_container", "migration_container"):
        assert (
            ecs_service.locals[container]["readonlyRootFilesystem"]
            == "${var.readonly_root_filesystem}"
        )
    assert ecs_service.variable_default("readonly_root_filesystem") is True
    assert ecs_service.locals["tmp_mount"]["containerPath"] == "/tmp"


def test_environment_names_are_validated(ecs_service, hcl):
    # Target-group names are limited to 32 characters: name (20) + "-" + env (11).
    name_rule = hcl.block(ecs_service.variables["name"]["validation"])["condition"]
    env_rule = hcl.block(ecs_service.variables["environment_name"]["validation"])["condition"]
    assert re.search(r"\{1,19\}", name_rule) and re.search(r"\{1,10\}", env_rule)
    assert not hcl.is_expression(ecs_service.variable_default("health_check_path"))
