# Secrets whose values are set out of band (never in Terraform state), e.g.
# DATABASE_URL: Terraform creates the empty secret and injects it into the
# container through `secrets`/`valueFrom`; an operator then runs
#   aws secretsmanager put-secret-value --secret-id <arn> --secret-string '...'

resource "aws_secretsmanager_secret" "managed" {
  #checkov:skip=CKV2_AWS_57:The value is an external credential (Neon connection string) rotated in Neon and re-put out of band; there is no rotation Lambda for it.
  #checkov:skip=CKV_AWS_149:Encrypted with the AWS-managed aws/secretsmanager key; access is limited by IAM to this service's execution role.
  for_each = toset(var.managed_secrets)

  name                    = "${var.environment_name}/${var.name}/${each.key}"
  description             = "${each.key} of ${local.full_name}; value is put out of band with aws secretsmanager put-secret-value."
  recovery_window_in_days = var.secret_recovery_window_days
}
