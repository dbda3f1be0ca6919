# One environment of the platform: network, ECS cluster, ALB, API-key secrets,
# alarm topic, one ecs-service instance per entry of var.services, and the
# GitHub deploy role scoped to exactly those services. The env roots
# (infra/envs/<env>) only pass the values that differ between environments.

data "aws_region" "current" {}

locals {
  name = "cathouse-${var.environment}"

  # Host-based routing: each service is served on its own host name.
  service_hosts = { for name, service in var.services : name => service.subdomain == null ? var.domain_name : "${service.subdomain}.${var.domain_name}" }

  availability_zones = var.availability_zones != null ? var.availability_zones : [
    "${data.aws_region.current.name}a",
    "${data.aws_region.current.name}b",
  ]
}

module "network" {
  source = "../network"

  name               = local.name
  cidr_block         = var.cidr_block
  availability_zones = local.availability_zones
  # false: tasks run in public subnets (public IP, ALB-only ingress) to avoid NAT gateway costs.
  enable_nat_gateway = var.enable_nat_gateway
}

module "cluster" {
  source = "../ecs-cluster"

  name = local.name
}

module "alb" {
  source = "../alb"

  name                = local.name
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  zone_name           = var.zone_name
  domain_name         = var.domain_name
  alternative_names   = sort([for host in values(local.service_hosts) : host if host != var.domain_name])
  deletion_protection = var.alb_deletion_protection
}

module "api_keys" {
  source = "../api-keys"

  name_prefix      = local.name
  clients          = var.api_key_clients
  rotation_days    = var.api_key_rotation_days
  lambda_s3_bucket = var.rotation_lambda_s3_bucket
  lambda_s3_key    = var.rotation_lambda_s3_key
  lambda_zip_path  = var.rotation_lambda_zip_path
}

resource "aws_sns_topic" "alarms" {
  #checkov:skip=CKV_AWS_26:CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key; alarm notifications carry no sensitive data.
  name = "${local.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# --- Services: one instance per entry of var.services ---------------------------
# Everything shared (cluster, network, ALB listener, alarm topic, API keys) is
# wired here once; a service entry only carries what is specific to it.

module "service" {
  source   = "../ecs-service"
  for_each = var.services

  name             = each.key
  environment_name = var.environment

  cluster_arn      = module.cluster.arn
  cluster_name     = module.cluster.name
  vpc_id           = module.network.vpc_id
  subnet_ids       = module.network.task_subnet_ids
  assign_public_ip = module.network.tasks_assign_public_ip

  alb_security_group_id  = module.alb.security_group_id
  alb_arn_suffix         = module.alb.arn_suffix
  listener_arn           = module.alb.https_listener_arn
  host_header            = local.service_hosts[each.key]
  listener_rule_priority = each.value.listener_rule_priority
  health_check_path      = each.value.health_check_path

  cpu               = each.value.cpu
  memory            = each.value.memory
  container_port    = each.value.container_port
  migration_command = each.value.migration_command != null ? each.value.migration_command : [each.key, "migrate"]

  # Only non-secret configuration: the environment's name (the app's production guards
  # key on it) and the IDs of the API-key secrets, never their values.
  environment = merge(
    each.value.environment,
    { ENVIRONMENT = var.environment },
    each.value.read_api_keys ? { API_KEYS_SECRET_ID = join(",", module.api_keys.secret_arns) } : {},
  )
  managed_secrets     = each.value.managed_secrets
  runtime_secret_arns = each.value.read_api_keys ? module.api_keys.secret_arns : []

  # false when another environment in the same account created the repositories.
  create_ecr_repository = var.create_ecr_repositories

  # Optional background worker (own ECS service, no load balancer), e.g. the webhook
  # delivery worker of the task-manager.
  worker = each.value.worker

  min_capacity       = each.value.min_capacity
  max_capacity       = each.value.max_capacity
  log_retention_days = var.log_retention_days
  alarm_actions      = [aws_sns_topic.alarms.arn]
}

# Every service the deploy role may deploy: all instances of module.service.
locals {
  services = values(module.service)
}

module "github_oidc" {
  source = "../github-oidc"

  github_repository    = var.github_repository
  allowed_branches     = var.deploy_allowed_branches
  github_environments  = [var.environment]
  create_oidc_provider = var.create_oidc_provider
  role_name            = "${local.name}-github-deploy"

  ecs_cluster_arn          = module.cluster.arn
  ecs_cluster_name         = module.cluster.name
  ecr_repository_arns      = distinct([for service in local.services : service.ecr_repository_arn])
  ecs_service_arns         = compact(flatten([for service in local.services : [service.service_arn, service.worker_service_arn]]))
  task_definition_families = compact(flatten([for service in local.services : [service.migration_task_definition_family, service.task_definition_family, service.worker_task_definition_family]]))
  pass_role_arns           = flatten([for service in local.services : [service.execution_role_arn, service.task_role_arn]])
  log_group_arns           = compact(flatten([for service in local.services : [service.log_group_arn, service.worker_log_group_arn]]))
}
