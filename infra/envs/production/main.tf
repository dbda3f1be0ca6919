# Production: everything is composed by modules/platform; this file only holds
# production's values.

locals {
  environment = "production"
}

module "platform" {
  source = "../../modules/platform"

  environment = local.environment

  cidr_block = "10.50.0.0/16"
  # Tasks run in private subnets behind a NAT gateway.
  enable_nat_gateway = true

  zone_name               = "gamificator.click"
  domain_name             = "api.gamificator.click"
  alb_deletion_protection = true

  api_key_clients           = ["cathouse-platform"]
  api_key_rotation_days     = 30
  rotation_lambda_s3_bucket = var.rotation_lambda_s3_bucket
  rotation_lambda_s3_key    = var.rotation_lambda_s3_key
  rotation_lambda_zip_path  = var.rotation_lambda_zip_path

  alarm_email        = var.alarm_email
  log_retention_days = 90

  # Production shares the AWS account with staging, which created the GitHub
  # OIDC provider and the ECR repositories: production looks them up and
  # deploys the very images that were tested on staging.
  create_oidc_provider    = false
  create_ecr_repositories = false

  github_repository       = var.github_repository
  deploy_allowed_branches = ["main"]

  # --- Services: one entry per service ------------------------------------------
  services = {
    "task-manager" = {
      path_patterns          = ["/v1/*", "/health*", "/docs*", "/redoc*", "/openapi.json"]
      listener_rule_priority = 100
      default_for_host       = true
      health_check_path      = "/health"

      cpu            = 256
      memory         = 512
      container_port = 8000

      # API_KEYS_SECRET_ID is added by the platform module (read_api_keys).
      environment = {
        API_KEYS_CACHE_SECONDS = "300"
        CORS_ALLOW_ORIGINS     = "https://gamificator.click,https://www.gamificator.click"
        RATE_LIMIT_PER_MINUTE  = "1200" # per worker process (docs/operations.md)
        LOG_LEVEL              = "INFO"
        WEB_CONCURRENCY        = "2"
      }
      managed_secrets = ["DATABASE_URL"]
      read_api_keys   = true

      min_capacity = 2
      max_capacity = 6
    }
  }
}
