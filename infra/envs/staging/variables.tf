variable "aws_region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-central-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region name such as eu-central-1."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) allowed to deploy through OIDC."
  type        = string
  default     = "cathouse/platform"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like \"owner/name\"."
  }
}

variable "rotation_lambda_s3_bucket" {
  description = "S3 bucket where CI uploads the API-key rotation Lambda zip (null to use rotation_lambda_zip_path)."
  type        = string
  default     = "cathouse-platform-artifacts"
}

variable "rotation_lambda_s3_key" {
  description = "S3 key of the API-key rotation Lambda zip."
  type        = string
  default     = "lambda/platform-auth-apikey-rotation.zip"
}

variable "rotation_lambda_zip_path" {
  description = "Local path of the rotation Lambda zip, used instead of S3 when rotation_lambda_s3_bucket is null."
  type        = string
  default     = null
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (null: no subscription)."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", coalesce(var.alarm_email, "a@b.c")))
    error_message = "alarm_email must be an e-mail address."
  }
}
