# API-key secrets (one per client application) and their rotation Lambda.
#
# Each secret version holds {"api_key": "<key>"}. The Lambda handler
# (platform_auth_apikey.rotation.lambda_handler) implements the four Secrets
# Manager rotation steps; the application accepts AWSCURRENT, AWSPREVIOUS and
# AWSPENDING so clients can switch keys without downtime. The Lambda code is a
# zip built by CI, taken from S3 (lambda_s3_bucket/lambda_s3_key) or from a
# local file (lambda_zip_path).

locals {
  function_name = "${var.name_prefix}-apikey-rotation"
  use_s3        = var.lambda_s3_bucket != null && var.lambda_s3_key != null
}

resource "aws_secretsmanager_secret" "api_key" {
  #checkov:skip=CKV_AWS_149:Encrypted with the AWS-managed aws/secretsmanager key; access is limited by IAM to the service task roles and the rotation Lambda.
  for_each = toset(var.clients)

  name                    = "${var.name_prefix}/api-keys/${each.key}"
  description             = "API key of client application ${each.key}: SecretString {\"api_key\": \"...\"}, rotated by ${local.function_name}."
  recovery_window_in_days = var.recovery_window_days
}

# --- Rotation Lambda ---------------------------------------------------------

resource "aws_cloudwatch_log_group" "rotation" {
  #checkov:skip=CKV_AWS_158:Encrypted at rest with the CloudWatch Logs service key; the rotation function never logs key material.
  #checkov:skip=CKV_AWS_338:Rotation logs are kept var.log_retention_days; a year is not required.
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "rotation" {
  name               = local.function_name
  description        = "Rotation Lambda of the ${var.name_prefix} API-key secrets"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "rotation" {
  #checkov:skip=CKV_AWS_356:secretsmanager:GetRandomPassword has no resource-level permissions; it is the only action on "*".
  statement {
    sid = "RotateApiKeySecrets"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = [for secret in aws_secretsmanager_secret.api_key : secret.arn]
  }

  statement {
    sid       = "RandomPassword"
    actions   = ["secretsmanager:GetRandomPassword"]
    resources = ["*"]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.rotation.arn}:*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "rotation" {
  name   = "rotate-api-keys"
  role   = aws_iam_role.rotation.id
  policy = data.aws_iam_policy_document.rotation.json
}

resource "aws_lambda_function" "rotation" {
  #checkov:skip=CKV_AWS_116:Secrets Manager invokes rotation synchronously and retries itself; failures surface as rotation errors on the secret, so a DLQ would stay empty.
  #checkov:skip=CKV_AWS_117:The function only calls the public Secrets Manager API; running it in a VPC would require a NAT gateway or endpoints for no gain.
  #checkov:skip=CKV_AWS_272:The zip is built and uploaded by this repository's CI; code signing is not set up.
  #checkov:skip=CKV_AWS_115:Reserved concurrency is opt-in (var.lambda_reserved_concurrency): new accounts have a quota of 10 that cannot be reserved from; rotations run a few times a month.
  function_name = local.function_name
  description   = "Rotates the ${var.name_prefix} API-key secrets"
  role          = aws_iam_role.rotation.arn
  runtime       = "python3.12"
  handler       = var.lambda_handler
  architectures = [var.lambda_architecture]
  memory_size   = 128
  timeout       = 30

  # null = unreserved (-1). Rotations run a few times a month and Secrets Manager retries.
  reserved_concurrent_executions = var.lambda_reserved_concurrency == null ? -1 : var.lambda_reserved_concurrency

  s3_bucket         = local.use_s3 ? var.lambda_s3_bucket : null
  s3_key            = local.use_s3 ? var.lambda_s3_key : null
  s3_object_version = local.use_s3 ? var.lambda_s3_object_version : null
  filename          = local.use_s3 ? null : var.lambda_zip_path
  source_code_hash  = local.use_s3 ? null : try(filebase64sha256(var.lambda_zip_path), null)

  tracing_config {
    mode = "Active"
  }

  lifecycle {
    precondition {
      condition     = local.use_s3 != (var.lambda_zip_path != null)
      error_message = "Set either lambda_s3_bucket and lambda_s3_key, or lambda_zip_path (exactly one source for the rotation Lambda code)."
    }
  }

  depends_on = [aws_cloudwatch_log_group.rotation, aws_iam_role_policy.rotation]
}

resource "aws_lambda_permission" "secretsmanager" {
  for_each = aws_secretsmanager_secret.api_key

  statement_id  = "AllowSecretsManager-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.rotation.function_name
  principal     = "secretsmanager.amazonaws.com"
  source_arn    = each.value.arn
}

resource "aws_secretsmanager_secret_rotation" "api_key" {
  for_each = aws_secretsmanager_secret.api_key

  secret_id           = each.value.id
  rotation_lambda_arn = aws_lambda_function.rotation.arn
  # The first key is put out of band (see docs/infrastructure.md); do not rotate
  # an empty secret when the schedule is created.
  rotate_immediately = false

  rotation_rules {
    automatically_after_days = var.rotation_days
  }

  depends_on = [aws_lambda_permission.secretsmanager]
}
