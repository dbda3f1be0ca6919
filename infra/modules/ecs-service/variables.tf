# --- Identity ----------------------------------------------------------------

variable "name" {
  description = "Service name, used for the ECS service, container, ECR repository and as prefix of other resources, e.g. \"task-manager\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2-20 lowercase letters, digits or hyphens, starting with a letter (target group names are limited to 32 characters)."
  }
}

variable "environment_name" {
  description = "Environment name, e.g. \"staging\" or \"production\"; suffix of per-environment resource names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,10}$", var.environment_name))
    error_message = "environment_name must be 2-11 lowercase letters or digits, starting with a letter."
  }
}

# --- Cluster and network -------------------------------------------------------

variable "cluster_arn" {
  description = "ARN of the ECS cluster that runs the service."
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS cluster (autoscaling resource ID and CloudWatch dimension)."
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC of the target group and tasks security group."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets where the service and migration tasks run."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "At least one subnet is required."
  }
}

variable "assign_public_ip" {
  description = "Give tasks a public IP (needed in public subnets without a NAT gateway to reach ECR, Secrets Manager and the database)."
  type        = bool
  default     = false
}

variable "egress_tcp_ports" {
  description = "TCP ports the tasks may open to the internet: 443 for AWS APIs, 5432 for the external PostgreSQL (Neon)."
  type        = list(number)
  default     = [443, 5432]

  validation {
    condition     = alltrue([for port in var.egress_tcp_ports : port >= 1 && port <= 65535])
    error_message = "egress_tcp_ports must contain TCP ports (1-65535)."
  }
}

# --- Load balancer -------------------------------------------------------------

variable "alb_security_group_id" {
  description = "Security group of the ALB; the only source allowed to reach the tasks."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB (CloudWatch LoadBalancer dimension)."
  type        = string
}

variable "listener_arn" {
  description = "ARN of the ALB HTTPS listener to attach the listener rules to."
  type        = string
}

variable "host_header" {
  description = "Host name routed to this service, e.g. \"api.gamificator.click\" or \"email.api.gamificator.click\": every request for it, whatever the path, goes to this service (the ALB does not rewrite paths)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.host_header))
    error_message = "host_header must be a lowercase fully qualified domain name without a trailing dot."
  }
}

variable "listener_rule_priority" {
  description = "Priority of the service's listener rule; unique per listener (host conditions never overlap, so the order does not matter; give each service its own, e.g. 100, 200, ...)."
  type        = number

  validation {
    condition     = var.listener_rule_priority >= 1 && var.listener_rule_priority <= 50000
    error_message = "listener_rule_priority must be between 1 and 50000."
  }
}

variable "health_check_path" {
  description = "Path of the ALB target-group health check (liveness, no dependency checks)."
  type        = string
  default     = "/health"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with \"/\"."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing ALB health checks after a task starts."
  type        = number
  default     = 30

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 600
    error_message = "health_check_grace_period_seconds must be between 0 and 600."
  }
}

# --- Worker (optional) ------------------------------------------------------------

variable "worker" {
  description = <<-EOT
    Optional background worker: its own ECS service <name>-worker from the same image and task
    roles, with command (e.g. ["task-manager", "worker"]), cpu/memory (Fargate sizes),
    desired_count, extra environment (merged over the service's), no load balancer, no
    ingress, egress only TCP 443 (HTTPS to the internet) and 5432 (the database), its own log
    group /ecs/<env>/<name>-worker, CPU/memory alarms and log_alarms: CloudWatch Logs metric
    filters on its JSON log lines with an alarm each (pattern: a filter pattern such as
    { $.event = "webhook_delivery_failed" }; value: "1" to count lines or "$.field" to take a
    number from them; the alarm fires when statistic over period compares to threshold;
    missing_data "breaching" makes silence, e.g. a stopped worker, an alarm). null: no worker.
  EOT
  type = object({
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
  })
  default = null

  validation {
    condition     = var.worker == null || try(length(var.worker.command) >= 1 && contains([256, 512, 1024, 2048, 4096], var.worker.cpu) && var.worker.desired_count >= 0 && var.worker.desired_count <= 20, false)
    error_message = "worker needs a non-empty command, a Fargate cpu (256-4096) and 0 <= desired_count <= 20."
  }

  validation {
    condition     = var.worker == null || try(alltrue([for env_name in keys(var.worker.environment) : !can(regex("(?i)(DATABASE_URL|PASSWORD|TOKEN|PRIVATE_?KEY|_KEY$|^KEY$|SECRET$)", env_name))]), false)
    error_message = "worker.environment must not contain secret-looking names: the worker gets the service's secrets."
  }

  validation {
    condition = var.worker == null || try(alltrue([for key, alarm in var.worker.log_alarms :
      can(regex("^[a-z][a-z0-9-]{1,40}$", key))
      && contains(["Sum", "Maximum", "Average", "Minimum", "SampleCount"], alarm.statistic)
      && contains(["breaching", "notBreaching", "ignore", "missing"], alarm.missing_data)
      && (alarm.value == "1" || can(regex("^\\$\\.[A-Za-z_][A-Za-z0-9_.]*$", alarm.value)))
    ]), false)
    error_message = "worker.log_alarms: keys are lowercase names, statistic Sum/Maximum/Average/Minimum/SampleCount, missing_data breaching/notBreaching/ignore/missing, value \"1\" or \"$.field\"."
  }
}

# --- Container -----------------------------------------------------------------

variable "container_port" {
  description = "Port the container listens on (also passed as the PORT environment variable)."
  type        = number
  default     = 8000

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535
    error_message = "container_port must be an unprivileged port (1024-65535); the container runs as non-root."
  }
}

variable "cpu" {
  description = "Fargate task CPU units (256 = 0.25 vCPU)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate CPU value: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Fargate task memory in MiB (must be a valid combination with cpu, e.g. 512-2048 for 256 CPU)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && (var.memory == 512 || var.memory % 1024 == 0)
    error_message = "memory must be 512 or a multiple of 1024 MiB, up to 122880."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the image: X86_64 or ARM64 (must match the image CI builds)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "readonly_root_filesystem" {
  description = "Mount the container's root filesystem read-only (a writable /tmp volume is always mounted). Disable only if the image must write elsewhere."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Image tag used by the task definitions Terraform registers. Only the bootstrap value: afterwards the deploy workflow registers revisions with the image it built."
  type        = string
  default     = "bootstrap"
}

variable "migration_command" {
  description = "Command of the migration task definition (same image, default entrypoint overridden)."
  type        = list(string)
  default     = ["task-manager", "migrate"]

  validation {
    condition     = length(var.migration_command) >= 1
    error_message = "migration_command must not be empty."
  }
}

variable "environment" {
  description = "Plain (non-secret) environment variables of the container. PORT, AWS_REGION and LOG_FORMAT=json are set by the module. Never put secrets here: use secrets or managed_secrets."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for env_name in keys(var.environment) : !can(regex("(?i)(DATABASE_URL|PASSWORD|TOKEN|PRIVATE_?KEY|_KEY$|^KEY$|SECRET$)", env_name))])
    error_message = "environment must not contain secret-looking names (DATABASE_URL, *PASSWORD*, *TOKEN*, *_KEY, *SECRET): inject them through secrets/managed_secrets."
  }
}

variable "secrets" {
  description = "Environment variables injected from existing Secrets Manager secrets: map of variable name to secret ARN (optionally ARN:json-key::). The execution role may read exactly these."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : startswith(arn, "arn:")])
    error_message = "secrets values must be Secrets Manager ARNs."
  }
}

variable "managed_secrets" {
  description = "Environment variables for which the module creates an empty Secrets Manager secret (value put out of band, never in state) and injects it, e.g. [\"DATABASE_URL\"]."
  type        = list(string)
  default     = ["DATABASE_URL"]

  validation {
    condition     = alltrue([for env_name in var.managed_secrets : can(regex("^[A-Z][A-Z0-9_]*$", env_name))])
    error_message = "managed_secrets must be upper-case environment variable names."
  }
}

variable "runtime_secret_arns" {
  description = "Secrets the application reads itself at runtime (e.g. API-key secrets, all versions). The task role gets GetSecretValue, DescribeSecret and ListSecretVersionIds on them."
  type        = list(string)
  default     = []
}

variable "secret_recovery_window_days" {
  description = "Recovery window of the managed secrets when deleted (0 deletes immediately)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "log_retention_days" {
  description = "Retention in days of the service log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# --- ECR -------------------------------------------------------------------------

variable "create_ecr_repository" {
  description = "Create the ECR repository (true) or look up an existing one with the same name (false, e.g. production sharing staging's account)."
  type        = bool
  default     = true
}

variable "ecr_repository_name" {
  description = "Name of the ECR repository; null means the service name."
  type        = string
  default     = null
}

variable "ecr_keep_images" {
  description = "Number of most recent images the ECR lifecycle policy keeps."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 5
    error_message = "ecr_keep_images must be at least 5 so rollbacks stay possible."
  }
}

# --- Scaling ---------------------------------------------------------------------

variable "min_capacity" {
  description = "Minimum (and initial) number of tasks."
  type        = number
  default     = 1

  validation {
    condition     = var.min_capacity >= 1
    error_message = "min_capacity must be at least 1."
  }
}

variable "max_capacity" {
  description = "Maximum number of tasks the autoscaling may run."
  type        = number
  default     = 4

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity <= 50
    error_message = "max_capacity must be between 1 and 50."
  }
}

variable "autoscaling_cpu_target" {
  description = "Target average CPU utilisation (%) of the target-tracking policy."
  type        = number
  default     = 60

  validation {
    condition     = var.autoscaling_cpu_target > 10 && var.autoscaling_cpu_target < 95
    error_message = "autoscaling_cpu_target must be between 10 and 95."
  }
}

variable "autoscaling_memory_target" {
  description = "Target average memory utilisation (%) of the target-tracking policy."
  type        = number
  default     = 75

  validation {
    condition     = var.autoscaling_memory_target > 10 && var.autoscaling_memory_target < 95
    error_message = "autoscaling_memory_target must be between 10 and 95."
  }
}

# --- Alarms ----------------------------------------------------------------------

variable "alarm_actions" {
  description = "ARNs notified when an alarm changes state (e.g. an SNS topic). Empty: alarms only show in the console."
  type        = list(string)
  default     = []
}

variable "alarm_5xx_rate_percent" {
  description = "Alarm when more than this percentage of requests get a 5xx from the targets."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_5xx_rate_percent > 0 && var.alarm_5xx_rate_percent <= 100
    error_message = "alarm_5xx_rate_percent must be in (0, 100]."
  }
}

variable "alarm_p99_latency_seconds" {
  description = "Alarm when the p99 target response time exceeds this many seconds."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_p99_latency_seconds > 0
    error_message = "alarm_p99_latency_seconds must be positive."
  }
}

variable "alarm_cpu_percent" {
  description = "Alarm when the service's average CPU utilisation exceeds this percentage."
  type        = number
  default     = 85

  validation {
    condition     = var.alarm_cpu_percent > 0 && var.alarm_cpu_percent <= 100
    error_message = "alarm_cpu_percent must be in (0, 100]."
  }
}

variable "alarm_memory_percent" {
  description = "Alarm when the service's average memory utilisation exceeds this percentage."
  type        = number
  default     = 85

  validation {
    condition     = var.alarm_memory_percent > 0 && var.alarm_memory_percent <= 100
    error_message = "alarm_memory_percent must be in (0, 100]."
  }
}
