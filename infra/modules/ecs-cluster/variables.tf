variable "name" {
  description = "Name of the ECS cluster, e.g. \"cathouse-staging\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.name))
    error_message = "name may contain only letters, digits, hyphens and underscores (max 255)."
  }
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights (per-task CPU/memory metrics; small extra cost)."
  type        = bool
  default     = true
}
