# Optional background worker of the service (var.worker): its own ECS service from the
# same image, task roles, environment and secrets as the HTTP service, with its own
# command and size, no load balancer and no ingress. The deploy workflow rolls it out
# together with the HTTP service, after the migration task succeeded.

locals {
  worker_name   = "${var.name}-worker"
  worker_family = "${var.name}-worker-${var.environment_name}"

  worker_environment = var.worker == null ? [] : [
    for env_name in sort(keys(merge(local.environment, var.worker.environment))) :
    { name = env_name, value = merge(local.environment, var.worker.environment)[env_name] }
  ]

  worker_container = var.worker == null ? null : {
    name                   = local.worker_name
    image                  = local.image
    essential              = true
    readonlyRootFilesystem = var.readonly_root_filesystem
    command                = var.worker.command
    environment            = local.worker_environment
    secrets                = local.container_secrets
    mountPoints            = [local.tmp_mount]
    # SIGTERM: the worker finishes the attempts in flight (each at most
    # WEBHOOK_TIMEOUT_SECONDS), then exits; ECS kills it after stopTimeout.
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.worker[0].name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = var.name
      }
    }
  }

  worker_log_alarms = var.worker == null ? {} : var.worker.log_alarms
}

resource "aws_cloudwatch_log_group" "worker" {
  #checkov:skip=CKV_AWS_158:Encrypted at rest with the CloudWatch Logs service key; logs hold no secrets (the app redacts API keys and webhook secrets).
  #checkov:skip=CKV_AWS_338:Retention is set per environment through var.log_retention_days; a year is not required for application logs.
  count = var.worker == null ? 0 : 1

  name              = "/ecs/${var.environment_name}/${local.worker_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_task_definition" "worker" {
  count = var.worker == null ? 0 : 1

  family                   = local.worker_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.worker.cpu
  memory                   = var.worker.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([local.worker_container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }
}

# No ingress at all; egress HTTPS to the internet (webhook receivers are public HTTPS
# endpoints; also ECR, Secrets Manager, CloudWatch Logs) and PostgreSQL. The app itself
# refuses private, loopback and link-local targets (WEBHOOKS_ALLOW_PRIVATE_TARGETS=false).
resource "aws_security_group" "worker" {
  count = var.worker == null ? 0 : 1

  name        = "${local.full_name}-worker"
  description = "Worker of ${local.full_name}: no ingress, egress HTTPS and PostgreSQL"
  vpc_id      = var.vpc_id

  tags = { Name = "${local.full_name}-worker" }
}

resource "aws_vpc_security_group_egress_rule" "worker" {
  for_each = var.worker == null ? toset([]) : toset(["443", "5432"])

  security_group_id = aws_security_group.worker[0].id
  description       = each.value == "443" ? "HTTPS: webhook receivers and AWS APIs" : "PostgreSQL (Neon)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
}

resource "aws_ecs_service" "worker" {
  count = var.worker == null ? 0 : 1

  name                               = local.worker_name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.worker[0].arn
  desired_count                      = var.worker.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = false

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.worker[0].id]
    assign_public_ip = var.assign_public_ip
  }

  lifecycle {
    # The deploy workflow owns the image (task definition revision).
    ignore_changes = [task_definition]
  }

  depends_on = [aws_iam_role_policy.execution]
}

# --- Worker alarms -------------------------------------------------------------

resource "aws_cloudwatch_log_metric_filter" "worker" {
  for_each = local.worker_log_alarms

  name           = "${local.full_name}-worker-${each.key}"
  log_group_name = aws_cloudwatch_log_group.worker[0].name
  pattern        = each.value.pattern

  metric_transformation {
    namespace = "Cathouse/${var.environment_name}/${var.name}"
    name      = each.key
    value     = each.value.value
    unit      = each.value.unit
  }
}

resource "aws_cloudwatch_metric_alarm" "worker_log" {
  for_each = local.worker_log_alarms

  alarm_name          = "${local.full_name}-worker-${each.key}"
  alarm_description   = each.value.description
  namespace           = aws_cloudwatch_log_metric_filter.worker[each.key].metric_transformation[0].namespace
  metric_name         = aws_cloudwatch_log_metric_filter.worker[each.key].metric_transformation[0].name
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing_data
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "worker_resources" {
  for_each = {
    for key, alarm in {
      cpu    = { metric = "CPUUtilization", threshold = var.alarm_cpu_percent }
      memory = { metric = "MemoryUtilization", threshold = var.alarm_memory_percent }
    } : key => alarm if var.worker != null
  }

  alarm_name          = "${local.full_name}-worker-${each.key}-high"
  alarm_description   = "Average ${each.key} of ${local.full_name}-worker above ${each.value.threshold}%."
  namespace           = "AWS/ECS"
  metric_name         = each.value.metric
  dimensions          = { ClusterName = var.cluster_name, ServiceName = aws_ecs_service.worker[0].name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "missing"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
