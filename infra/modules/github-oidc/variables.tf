variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the deploy role, e.g. \"cathouse/platform\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like \"owner/name\" (no wildcards)."
  }
}

variable "allowed_branches" {
  description = "Branches of the repository whose workflow runs may assume the role (jobs without a GitHub environment)."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = alltrue([for branch in var.allowed_branches : !can(regex("[*?]", branch))])
    error_message = "allowed_branches must not contain wildcards."
  }
}

variable "github_environments" {
  description = "GitHub environments (e.g. [\"staging\"]) whose jobs may assume the role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for environment in var.github_environments : !can(regex("[*?]", environment))])
    error_message = "github_environments must not contain wildcards."
  }
}

variable "create_oidc_provider" {
  description = "Create the account-wide GitHub OIDC provider (true) or use the existing one (false, e.g. when another environment in the same account created it)."
  type        = bool
  default     = true
}

variable "role_name" {
  description = "Name of the deploy role, e.g. \"cathouse-staging-github-deploy\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be a valid IAM role name (max 64 characters)."
  }
}

variable "ecr_repository_arns" {
  description = "ECR repositories the deploy role may push to."
  type        = list(string)

  validation {
    condition     = length(var.ecr_repository_arns) >= 1
    error_message = "At least one ECR repository ARN is required."
  }
}

variable "ecs_cluster_arn" {
  description = "ARN of the ECS cluster where migrations run."
  type        = string
}

variable "ecs_cluster_name" {
  description = "Name of the ECS cluster (scopes DescribeTasks/StopTask)."
  type        = string
}

variable "ecs_service_arns" {
  description = "ECS services the deploy role may describe and update."
  type        = list(string)

  validation {
    condition     = length(var.ecs_service_arns) >= 1
    error_message = "At least one ECS service ARN is required."
  }
}

variable "task_definition_families" {
  description = "Task definition families the deploy role may run (the migration families)."
  type        = list(string)

  validation {
    condition     = length(var.task_definition_families) >= 1
    error_message = "At least one task definition family is required."
  }
}

variable "pass_role_arns" {
  description = "Execution and task roles the deploy role may pass to ECS when registering task definitions and running tasks."
  type        = list(string)

  validation {
    condition     = length(var.pass_role_arns) >= 1
    error_message = "At least one role ARN is required."
  }
}

variable "log_group_arns" {
  description = "Log groups the deploy role may read (to print the migration output)."
  type        = list(string)
  default     = []
}
