# Everything that may differ between environments. Values common to every
# environment are defaults here; the env roots (infra/envs/<env>) set the rest.

# --- Environment ----------------------------------------------------------------

variable "environment" {
  description = "Environment name, e.g. \"staging\" or \"production\": suffix of resource names (cluster cathouse-<environment>), the GitHub environment trusted by the deploy role and the services' environment_name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,10}$", var.environment))
    error_message = "environment must be 2-11 lowercase letters or digits, starting with a letter (resource names built from it have length limits)."
  }
}

# --- Network --------------------------------------------------------------------

variable "cidr_block" {
  description = "IPv4 CIDR block of the environment's VPC; give every environment its own range (staging 10.40.0.0/16, production 10.50.0.0/16)."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && try(tonumber(split("/", var.cidr_block)[1]) <= 20, false)
    error_message = "cidr_block must be a valid IPv4 CIDR block of size /20 or larger."
  }
}

variable "availability_zones" {
  description = "Availability zones of the subnets; null means zones a and b of the provider's region."
  type        = list(string)
  default     = null

  validation {
    condition     = var.availability_zones == null || try(length(var.availability_zones) >= 2, false)
    error_message = "availability_zones must list at least two zones (the ALB needs two), or be null."
  }
}

variable "enable_nat_gateway" {
  description = "Run tasks in private subnets behind a NAT gateway (true, production) or in public subnets with a public IP and ALB-only ingress (false, cheaper: staging)."
  type        = bool
}

# --- Load balancer and DNS ------------------------------------------------------

variable "zone_name" {
  description = "Existing public Route 53 hosted zone of the API record and certificate validation, e.g. \"gamificator.click\"."
  type        = string
  default     = "gamificator.click"

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.zone_name))
    error_message = "zone_name must be a lowercase domain name without a trailing dot."
  }
}

variable "domain_name" {
  description = "Host name the environment's API is served on, inside zone_name, e.g. \"api-staging.gamificator.click\"."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase fully qualified domain name without a trailing dot."
  }
}

variable "alb_deletion_protection" {
  description = "Deletion protection of the ALB; set false and apply before terraform destroy."
  type        = bool
  default     = true
}

# --- API keys -------------------------------------------------------------------

variable "api_key_clients" {
  description = "Client applications that get their own API-key secret, e.g. [\"cathouse-platform\"]."
  type        = list(string)
  default     = ["cathouse-platform"]

  validation {
    condition     = length(var.api_key_clients) >= 1 && alltrue([for client in var.api_key_clients : can(regex("^[a-z0-9][a-z0-9-]{1,62}$", client))])
    error_message = "api_key_clients must be a non-empty list of lowercase names (letters, digits, hyphens)."
  }
}

variable "api_key_rotation_days" {
  description = "Rotate each API key automatically every N days."
  type        = number
  default     = 30

  validation {
    condition     = var.api_key_rotation_days >= 1 && var.api_key_rotation_days <= 365
    error_message = "api_key_rotation_days must be between 1 and 365."
  }
}

variable "rotation_lambda_s3_bucket" {
  description = "S3 bucket holding the API-key rotation Lambda zip built by CI (null to use rotation_lambda_zip_path)."
  type        = string
  default     = null
}

variable "rotation_lambda_s3_key" {
  description = "S3 key of the API-key rotation Lambda zip in rotation_lambda_s3_bucket."
  type        = string
  default     = null
}

variable "rotation_lambda_zip_path" {
  description = "Local path of the rotation Lambda zip, used instead of S3 when rotation_lambda_s3_bucket is null."
  type        = string
  default     = null
}

# --- Alarms and logs -------------------------------------------------------------

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic cathouse-<environment>-alarms (null: no subscription)."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", coalesce(var.alarm_email, "a@b.c")))
    error_message = "alarm_email must be an e-mail address."
  }
}

variable "log_retention_days" {
  description = "Retention in days of the services' log groups (a per-environment cost choice, e.g. 14 in staging, 90 in production)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# --- Account-wide resources shared between environments --------------------------

variable "create_oidc_provider" {
  description = "Create the account-wide GitHub OIDC provider (true: the first environment of the account, staging) or look it up (false: production sharing staging's account)."
  type        = bool
}

variable "create_ecr_repositories" {
  description = "Create the services' ECR repositories (true: staging) or look them up by name (false: production in the same account deploys the very images tested on staging)."
  type        = bool
}

# --- GitHub deploy role ------------------------------------------------------------

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the environment's deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like \"owner/name\" (no wildcards)."
  }
}

variable "deploy_allowed_branches" {
  description = "Branches whose workflow runs (outside a GitHub environment) may assume the deploy role; the GitHub environment named like the environment is always trusted. [] trusts the protected environment only."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = alltrue([for branch in var.deploy_allowed_branches : !can(regex("[*?]", branch))])
    error_message = "deploy_allowed_branches must not contain wildcards."
  }
}

# --- Services ----------------------------------------------------------------------

variable "services" {
  description = <<-EOT
    Services of the environment, keyed by service name (ECS service, container, ECR repository and
    log group name, e.g. "task-manager"). Adding a sibling service is one more entry. Routing is by
    host: subdomain null serves the service on domain_name (at most one service), else on
    "<subdomain>.<domain_name>"; the service gets every request for its host, whatever the path
    (the ALB does not rewrite paths). Each entry: listener_rule_priority (unique per environment:
    100, 200, ...), subdomain, health_check_path, cpu/memory (Fargate sizes), container_port,
    migration_command (null: ["<name>", "migrate"]), environment (plain, non-secret variables;
    ENVIRONMENT and API_KEYS_SECRET_ID are set by this module), managed_secrets (secrets created
    empty and injected via valueFrom), read_api_keys (task role may read the API-key secrets,
    whose IDs are passed in API_KEYS_SECRET_ID), min_capacity/max_capacity, and worker (optional
    background worker: command, cpu, memory, desired_count, environment, log_alarms; see
    modules/ecs-service variable "worker").
  EOT
  type = map(object({
    listener_rule_priority = number
    subdomain              = optional(string)
    health_check_path      = optional(string, "/health")
    cpu                    = optional(number, 256)
    memory                 = optional(number, 512)
    container_port         = optional(number, 8000)
    migration_command      = optional(list(string))
    environment            = optional(map(string), {})
    managed_secrets        = optional(list(string), ["DATABASE_URL"])
    read_api_keys          = optional(bool, true)
    min_capacity           = optional(number, 1)
    max_capacity           = optional(number, 2)
    worker = optional(object({
      command       = list(string)
      cpu           = optional(number, 256)
      memory        = optional(number, 512)
      desired_count = optional(number, 1)
      environment   = optional(map(string), {})
      log_alarms = optional(map(object({
        description         = string
        pattern             = string
        value               = optional(string, "1")
        unit                = optional(string, "Count")
        statistic           = optional(string, "Sum")
        comparison_operator = optional(string, "GreaterThanThreshold")
        threshold           = number
        period              = optional(number, 300)
        evaluation_periods  = optional(number, 1)
        missing_data        = optional(string, "notBreaching")
      })), {})
    }))
  }))

  validation {
    condition     = length(var.services) >= 1 && alltrue([for name in keys(var.services) : can(regex("^[a-z][a-z0-9-]{1,19}$", name))])
    error_message = "services must have at least one entry, each keyed by a name of 2-20 lowercase letters, digits or hyphens starting with a letter."
  }

  validation {
    condition     = length(distinct([for service in values(var.services) : service.listener_rule_priority])) == length(var.services)
    error_message = "Each service needs its own listener_rule_priority (100, 200, ...)."
  }

  validation {
    condition     = length([for service in values(var.services) : service if service.subdomain == null]) <= 1
    error_message = "At most one service may leave subdomain null (served on domain_name itself); give the others a subdomain."
  }

  validation {
    condition = alltrue([for service in values(var.services) : service.subdomain == null || can(regex("^[a-z][a-z0-9-]{0,30}$", coalesce(service.subdomain, "x")))]) && (
      length(compact([for service in values(var.services) : service.subdomain])) == length(distinct(compact([for service in values(var.services) : service.subdomain])))
    )
    error_message = "subdomain must be one DNS label (lowercase letters, digits, hyphens, starting with a letter), different for every service."
  }

  validation {
    condition     = alltrue([for service in values(var.services) : service.min_capacity >= 1 && service.min_capacity <= service.max_capacity])
    error_message = "Each service needs 1 <= min_capacity <= max_capacity."
  }

  validation {
    condition = alltrue([for service in values(var.services) :
      !contains(keys(service.environment), "API_KEYS_SECRET_ID") && !contains(keys(service.environment), "ENVIRONMENT")
    ])
    error_message = "ENVIRONMENT and API_KEYS_SECRET_ID are set by the platform module (var.environment, read_api_keys); do not set them in environment."
  }
}

variable "primary_service" {
  description = "Key of var.services the single-service outputs (ecs_service_name, task_definition_family, ecr_repository_name, ...) describe: the deploy contract of the Task Manager API."
  type        = string
  default     = "task-manager"
}
