# Staging: everything is composed by modules/platform; this file only holds
# staging's values.

locals {
  environment = "staging"
}

module "platform" {
  source = "../../modules/platform"

  environment = local.environment

  cidr_block = "10.40.0.0/16"
  # Tasks run in public subnets (public IP, ALB-only ingress) to avoid NAT gateway costs.
  enable_nat_gateway = false

  zone_name               = "gamificator.click"
  domain_name             = "api-staging.gamificator.click"
  alb_deletion_protection = true

  api_key_clients           = ["cathouse-platform"]
  api_key_rotation_days     = 30
  rotation_lambda_s3_bucket = var.rotation_lambda_s3_bucket
  rotation_lambda_s3_key    = var.rotation_lambda_s3_key
  rotation_lambda_zip_path  = var.rotation_lambda_zip_path

  alarm_email        = var.alarm_email
  log_retention_days = 14

  # Staging is the first environment of the shared AWS account: it creates the
  # account-wide GitHub OIDC provider and the ECR repositories.
  create_oidc_provider    = true
  create_ecr_repositories = true

  github_repository       = var.github_repository
  deploy_allowed_branches = ["main"]

  # --- Services: one entry per service ------------------------------------------
  # docs/infrastructure.md "Adding a service". Every variable a template in
  # services/<name>/env/staging.env.example sets must be set here with the same value
  # (infra/tests/test_infra_env_templates.py); ENVIRONMENT, API_KEYS_SECRET_ID, PORT,
  # AWS_REGION and LOG_FORMAT are set by the modules.
  services = {
    "task-manager" = {
      listener_rule_priority = 100
      subdomain              = null # served on domain_name itself
      health_check_path      = "/health"

      cpu            = 256
      memory         = 512
      container_port = 8000

      environment = {
        API_KEYS_CACHE_SECONDS         = "300"
        CORS_ALLOW_ORIGINS             = "https://staging.gamificator.click"
        RATE_LIMIT_PER_MINUTE          = "2400" # per worker process (docs/operations.md)
        LOG_LEVEL                      = "debug"
        WEB_CONCURRENCY                = "1"
        GRACEFUL_TIMEOUT_SECONDS       = "20"
        DB_POOL_MAX_SIZE               = "5" # per process: 1 worker x 5 per API task
        DB_CONNECT_TIMEOUT_SECONDS     = "5"
        DB_COMMAND_TIMEOUT_SECONDS     = "5"
        EVENTS_RETENTION_DAYS          = "30"
        WEBHOOK_TIMEOUT_SECONDS        = "10"
        WEBHOOK_MAX_CONCURRENCY        = "16"
        WEBHOOKS_ALLOW_HTTP            = "false"
        WEBHOOKS_ALLOW_PRIVATE_TARGETS = "false"
      }
      managed_secrets = ["DATABASE_URL"]
      read_api_keys   = true

      min_capacity = 1
      max_capacity = 2

      # Webhook delivery worker: own ECS service, same image and environment.
      worker = {
        command       = ["task-manager", "worker"]
        cpu           = 256
        memory        = 512
        desired_count = 1
        log_alarms = {
          # oldest_pending_age_seconds counts from the delivery's creation, so it includes
          # the retry schedule (5 s, 5 min, 30 min, ...): an hour means at least three failed
          # attempts, or a worker that does not keep up.
          webhook-backlog-age = {
            description        = "A webhook delivery has been pending (not yet delivered, retries included) for more than an hour, or the worker logged no webhook_backlog line for 10 minutes (not running)."
            pattern            = "{ $.event = \"webhook_backlog\" }"
            value              = "$.oldest_pending_age_seconds"
            unit               = "Seconds"
            statistic          = "Maximum"
            threshold          = 3600
            period             = 300
            evaluation_periods = 2
            missing_data       = "breaching"
          }
          webhook-delivery-failed = {
            description = "A webhook delivery failed after its whole retry schedule (webhook_delivery_failed)."
            pattern     = "{ $.event = \"webhook_delivery_failed\" }"
            statistic   = "Sum"
            threshold   = 0
          }
        }
      }
    }
  }
}
