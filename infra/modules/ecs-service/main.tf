# One HTTP service on ECS Fargate behind the shared ALB (and its optional worker, worker.tf):
#   ECR repository (ecr.tf), IAM roles (iam.tf), secrets created empty for
#   out-of-band values (secrets.tf), CloudWatch alarms (alarms.tf), and here:
#   log group, task definitions (service + migration), target group, listener
#   rules, security group, ECS service and autoscaling.
#
# Deploy contract: the deploy workflow owns the running image. It takes the
# latest ACTIVE revision of each task definition family, swaps the image,
# registers a new revision, runs the migration task and updates the service.
# Terraform therefore ignores the service's task_definition and desired_count.

data "aws_region" "current" {}

locals {
  full_name        = "${var.name}-${var.environment_name}"
  family           = local.full_name
  migration_family = "${var.name}-migrate-${var.environment_name}"
  image            = "${local.repository_url}:${var.image_tag}"

  # Plain configuration. Secrets never go here: they are injected through
  # `secrets`/`valueFrom` below (see var.environment validation).
  environment = merge(
    {
      PORT       = tostring(var.container_port)
      AWS_REGION = data.aws_region.current.name
      LOG_FORMAT = "json"
    },
    var.environment,
  )

  secret_arns = merge(
    var.secrets,
    { for secret_name, secret in aws_secretsmanager_secret.managed : secret_name => secret.arn },
  )

  container_environment = [for env_name in sort(keys(local.environment)) : { name = env_name, value = local.environment[env_name] }]
  container_secrets     = [for env_name in sort(keys(local.secret_arns)) : { name = env_name, valueFrom = local.secret_arns[env_name] }]

  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = data.aws_region.current.name
      awslogs-stream-prefix = var.name
    }
  }

  # gunicorn and Python need a writable /tmp; the rest of the filesystem is read-only.
  tmp_mount = { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }

  app_container = {
    name                   = var.name
    image                  = local.image
    essential              = true
    readonlyRootFilesystem = var.readonly_root_filesystem
    portMappings           = [{ containerPort = var.container_port, hostPort = var.container_port, protocol = "tcp" }]
    environment            = local.container_environment
    secrets                = local.container_secrets
    mountPoints            = [local.tmp_mount]
    logConfiguration       = local.log_configuration
    stopTimeout            = 30
  }

  migration_container = {
    name                   = "${var.name}-migrate"
    image                  = local.image
    essential              = true
    readonlyRootFilesystem = var.readonly_root_filesystem
    command                = var.migration_command
    environment            = local.container_environment
    secrets                = local.container_secrets
    mountPoints            = [local.tmp_mount]
    logConfiguration       = local.log_configuration
  }
}

# --- Logs --------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:Encrypted at rest with the CloudWatch Logs service key; logs hold no secrets (the app redacts API keys).
  #checkov:skip=CKV_AWS_338:Retention is set per environment through var.log_retention_days; a year is not required for application logs.
  name              = "/ecs/${var.environment_name}/${var.name}"
  retention_in_days = var.log_retention_days
}

# --- Task definitions --------------------------------------------------------

resource "aws_ecs_task_definition" "service" {
  family                   = local.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([local.app_container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }
}

# Same image and settings, command overridden to run the database migrations.
# The deploy workflow runs it with `aws ecs run-task` before updating the service.
resource "aws_ecs_task_definition" "migration" {
  family                   = local.migration_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([local.migration_container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }
}

# --- Networking --------------------------------------------------------------

resource "aws_security_group" "tasks" {
  name        = "${local.full_name}-tasks"
  description = "Tasks of ${local.full_name}: ingress only from the ALB"
  vpc_id      = var.vpc_id

  tags = { Name = "${local.full_name}-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Application port from the ALB only"
  referenced_security_group_id = var.alb_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = var.alb_security_group_id
  description                  = "ALB to ${local.full_name} tasks"
  referenced_security_group_id = aws_security_group.tasks.id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

# Tasks reach ECR, Secrets Manager and CloudWatch Logs over HTTPS and the
# external database (Neon) over PostgreSQL; nothing else.
resource "aws_vpc_security_group_egress_rule" "tasks" {
  for_each = toset([for port in var.egress_tcp_ports : tostring(port)])

  security_group_id = aws_security_group.tasks.id
  description       = "Outbound TCP ${each.value}"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
}

# --- Load balancing ----------------------------------------------------------

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS terminates at the ALB; ALB-to-task traffic stays inside the VPC and is restricted by security groups.
  name                 = local.full_name
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# Host-based routing: the service owns its host name (var.host_header) and gets
# every request for it, whatever the path. The ALB does not rewrite paths, so each
# service serves its usual layout (/v1/*, /health, /docs, /openapi.json) at the root
# of its own host; path prefixes shared on one host would need every service to
# know its prefix. Unknown paths get the service's own JSON 404.
resource "aws_lb_listener_rule" "host" {
  listener_arn = var.listener_arn
  priority     = var.listener_rule_priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    host_header {
      values = [var.host_header]
    }
  }
}

# Until the switch to host-based routing the service had path rules at
# listener_rule_priority (+1, ...) and a host catch-all at 50000. Keeping the first
# path rule (same priority, updated in place to a host-only rule) means there is no
# moment without a rule for the host while the old rules are removed.
moved {
  from = aws_lb_listener_rule.paths[0]
  to   = aws_lb_listener_rule.host
}

# --- Service -----------------------------------------------------------------

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.service.arn
  desired_count                      = var.min_capacity
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = false

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.container_port
  }

  lifecycle {
    # Owned by the deploy workflow (image) and by autoscaling (count).
    ignore_changes = [task_definition, desired_count]
  }

  depends_on = [aws_lb_listener_rule.host, aws_iam_role_policy.execution]
}

# --- Autoscaling -------------------------------------------------------------

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.full_name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling_cpu_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "memory" {
  name               = "${local.full_name}-memory"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling_memory_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageMemoryUtilization"
    }
  }
}
