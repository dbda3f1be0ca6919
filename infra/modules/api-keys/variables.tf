variable "name_prefix" {
  description = "Prefix of the secret names and the Lambda function, e.g. \"cathouse-staging\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{3,40}$", var.name_prefix))
    error_message = "name_prefix must be 3-40 lowercase letters, digits or hyphens."
  }
}

variable "clients" {
  description = "Client applications that get their own API-key secret, e.g. [\"cathouse-platform\"]."
  type        = list(string)

  validation {
    condition     = length(var.clients) >= 1 && alltrue([for client in var.clients : can(regex("^[a-z0-9][a-z0-9-]{1,62}$", client))])
    error_message = "clients must be a non-empty list of lowercase names (letters, digits, hyphens)."
  }
}

variable "rotation_days" {
  description = "Rotate each API key automatically every N days."
  type        = number
  default     = 30

  validation {
    condition     = var.rotation_days >= 1 && var.rotation_days <= 365
    error_message = "rotation_days must be between 1 and 365."
  }
}

variable "recovery_window_days" {
  description = "Recovery window of the API-key secrets when deleted (0 deletes immediately)."
  type        = number
  default     = 7

  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "lambda_handler" {
  description = "Python handler of the rotation Lambda."
  type        = string
  default     = "platform_auth_apikey.rotation.lambda_handler"
}

variable "lambda_architecture" {
  description = "Instruction set of the rotation Lambda: x86_64 or arm64 (must match the zip if it holds native wheels)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "lambda_s3_bucket" {
  description = "S3 bucket holding the rotation Lambda zip built by CI (use with lambda_s3_key; null to use lambda_zip_path)."
  type        = string
  default     = null
}

variable "lambda_s3_key" {
  description = "S3 key of the rotation Lambda zip (use with lambda_s3_bucket)."
  type        = string
  default     = null
}

variable "lambda_s3_object_version" {
  description = "Optional S3 object version of the zip (versioned bucket), so a new upload redeploys the function."
  type        = string
  default     = null
}

variable "lambda_zip_path" {
  description = "Local path of the rotation Lambda zip (alternative to lambda_s3_bucket/lambda_s3_key)."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_zip_path == null || endswith(coalesce(var.lambda_zip_path, "x.zip"), ".zip")
    error_message = "lambda_zip_path must point to a .zip file."
  }
}

variable "lambda_reserved_concurrency" {
  description = "Reserved concurrent executions of the rotation Lambda; null leaves it unreserved (accounts with the default quota of 10 cannot reserve any)."
  type        = number
  default     = null

  validation {
    condition     = var.lambda_reserved_concurrency == null || coalesce(var.lambda_reserved_concurrency, 1) >= 1
    error_message = "lambda_reserved_concurrency must be null or at least 1."
  }
}

variable "log_retention_days" {
  description = "Retention in days of the rotation Lambda's log group."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}
