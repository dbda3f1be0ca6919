output "role_arn" {
  description = "ARN of the GitHub Actions deploy role (aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.deploy.arn
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider."
  value       = local.provider_arn
}

output "allowed_subjects" {
  description = "OIDC subjects trusted by the deploy role."
  value       = local.subjects
}
