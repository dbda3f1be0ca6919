output "secret_arns" {
  description = "ARNs of the API-key secrets, in client order (feed to the service's API_KEYS_SECRET_ID and runtime_secret_arns)."
  value       = [for client in var.clients : aws_secretsmanager_secret.api_key[client].arn]
}

output "secret_arns_by_client" {
  description = "Map of client application name to API-key secret ARN."
  value       = { for client, secret in aws_secretsmanager_secret.api_key : client => secret.arn }
}

output "secret_names_by_client" {
  description = "Map of client application name to API-key secret name."
  value       = { for client, secret in aws_secretsmanager_secret.api_key : client => secret.name }
}

output "rotation_function_arn" {
  description = "ARN of the rotation Lambda."
  value       = aws_lambda_function.rotation.arn
}
