variable "name" {
  description = "Name of the load balancer and prefix of its security group, e.g. \"cathouse-staging\" (max 32 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,32}$", var.name)) && !startswith(var.name, "internal-")
    error_message = "name must be 1-32 letters, digits or hyphens and must not start with \"internal-\"."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the ALB security group lives in."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (at least two availability zones) for the ALB."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "zone_name" {
  description = "Existing public Route 53 hosted zone that holds the API record and the ACM validation records, e.g. \"gamificator.click\"."
  type        = string
}

variable "domain_name" {
  description = "Fully qualified domain name served by the ALB, e.g. \"api.gamificator.click\". Must be inside zone_name."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase fully qualified domain name without a trailing dot."
  }
}

variable "alternative_names" {
  description = "More host names served by the ALB (one per sibling service, e.g. \"email.api.gamificator.click\"): added to the certificate and given an alias record. Each must be inside zone_name."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for host in var.alternative_names : can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", host))])
    error_message = "alternative_names must be lowercase fully qualified domain names without a trailing dot."
  }
}

variable "ssl_policy" {
  description = "TLS security policy of the HTTPS listener. Only TLS 1.3 + 1.2 policies are accepted."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = startswith(var.ssl_policy, "ELBSecurityPolicy-TLS13-1-2-")
    error_message = "ssl_policy must be one of the ELBSecurityPolicy-TLS13-1-2-* policies (TLS 1.2 minimum)."
  }
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout. Must stay below the application's keep-alive timeout (75 s) so the ALB, not the app, closes idle connections."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout_seconds >= 1 && var.idle_timeout_seconds < 75
    error_message = "idle_timeout_seconds must be between 1 and 74 (the app keeps connections alive for 75 s)."
  }
}

variable "ingress_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the ALB on ports 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.ingress_cidr_blocks : can(cidrhost(cidr, 0))])
    error_message = "ingress_cidr_blocks must contain valid IPv4 CIDR blocks."
  }
}

variable "deletion_protection" {
  description = "Protect the ALB from deletion (disable only to tear an environment down)."
  type        = bool
  default     = true
}

variable "access_logs_bucket" {
  description = "Name of an existing S3 bucket for ALB access logs (with the ELB log-delivery bucket policy). null disables access logs."
  type        = string
  default     = null
}
