# Two roles, least privilege:
# - execution role: used by the ECS agent to pull the image, write logs and
#   resolve the `secrets` injected into the container;
# - task role: used by the application itself (reads the API-key secrets,
#   including their AWSPREVIOUS/AWSPENDING versions).

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${local.full_name}-execution"
  description        = "ECS execution role of ${local.full_name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  #checkov:skip=CKV_AWS_356:ecr:GetAuthorizationToken does not support resource-level permissions; it is the only action on "*".
  statement {
    sid       = "EcrAuth"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [local.repository_arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in concat([aws_cloudwatch_log_group.this], aws_cloudwatch_log_group.worker) : "${group.arn}:*"]
  }

  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [1] : []

    content {
      sid       = "InjectSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = sort(values(local.secret_arns))
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "ecs-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  name               = "${local.full_name}-task"
  description        = "Application role of ${local.full_name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "ReadRuntimeSecrets"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]
    resources = var.runtime_secret_arns
  }
}

resource "aws_iam_role_policy" "task" {
  count = length(var.runtime_secret_arns) > 0 ? 1 : 0

  name   = "read-runtime-secrets"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
