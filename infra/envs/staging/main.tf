locals {
  environment = "staging"
  name        = "cathouse-${local.environment}"
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  cidr_block         = "10.40.0.0/16"
  availability_zones = ["${var.aws_region}a", "${var.aws_region}b"]
  # Staging runs tasks in public subnets (public IP, ALB-only ingress) to avoid NAT gateway costs.
  enable_nat_gateway = false
}

module "cluster" {
  source = "../../modules/ecs-cluster"

  name = local.name
}

module "alb" {
  source = "../../modules/alb"

  name                = local.name
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  zone_name           = "gamificator.click"
  domain_name         = "api-staging.gamificator.click"
  deletion_protection = true
}

module "api_keys" {
  source = "../../modules/api-keys"

  name_prefix      = local.name
  clients          = ["cathouse-platform"]
  rotation_days    = 30
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

# --- Services: one module block per service ---------------------------------

module "task_manager" {
  source = "../../modules/ecs-service"

  name             = "task-manager"
  environment_name = local.environment

  cluster_arn      = module.cluster.arn
  cluster_name     = module.cluster.name
  vpc_id           = module.network.vpc_id
  subnet_ids       = module.network.task_subnet_ids
  assign_public_ip = module.network.tasks_assign_public_ip

  alb_security_group_id  = module.alb.security_group_id
  alb_arn_suffix         = module.alb.arn_suffix
  listener_arn           = module.alb.https_listener_arn
  host_headers           = [module.alb.domain_name]
  path_patterns          = ["/v1/*", "/health*", "/docs*", "/redoc*", "/openapi.json"]
  listener_rule_priority = 100
  default_for_host       = true
  health_check_path      = "/health"

  cpu            = 256
  memory         = 512
  container_port = 8000

  environment = {
    API_KEYS_SECRET_ID     = join(",", module.api_keys.secret_arns)
    API_KEYS_CACHE_SECONDS = "300"
    CORS_ALLOW_ORIGINS     = "https://staging.gamificator.click"
    RATE_LIMIT_PER_MINUTE  = "120"
    LOG_LEVEL              = "DEBUG"
    WEB_CONCURRENCY        = "2"
  }
  managed_secrets     = ["DATABASE_URL"]
  runtime_secret_arns = module.api_keys.secret_arns

  min_capacity       = 1
  max_capacity       = 2
  log_retention_days = 14
  alarm_actions      = [aws_sns_topic.alarms.arn]
}

# Every service module the deploy role may deploy: add new services here.
locals {
  services = [module.task_manager]
}

module "github_oidc" {
  source = "../../modules/github-oidc"

  github_repository    = var.github_repository
  allowed_branches     = ["main"]
  github_environments  = [local.environment]
  create_oidc_provider = true
  role_name            = "${local.name}-github-deploy"

  ecs_cluster_arn          = module.cluster.arn
  ecs_cluster_name         = module.cluster.name
  ecr_repository_arns      = distinct([for service in local.services : service.ecr_repository_arn])
  ecs_service_arns         = [for service in local.services : service.service_arn]
  task_definition_families = flatten([for service in local.services : [service.migration_task_definition_family, service.task_definition_family]])
  pass_role_arns           = flatten([for service in local.services : [service.execution_role_arn, service.task_role_arn]])
  log_group_arns           = [for service in local.services : service.log_group_arn]
}
