output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = aws_ecs_service.this.id
}

output "container_name" {
  description = "Name of the application container in the service task definition."
  value       = var.name
}

output "task_definition_family" {
  description = "Family of the service task definition."
  value       = aws_ecs_task_definition.service.family
}

output "migration_task_definition_family" {
  description = "Family of the migration task definition (run with aws ecs run-task before updating the service)."
  value       = aws_ecs_task_definition.migration.family
}

output "migration_container_name" {
  description = "Name of the container in the migration task definition."
  value       = local.migration_container.name
}

output "task_security_group_id" {
  description = "Security group of the service and migration tasks."
  value       = aws_security_group.tasks.id
}

output "ecr_repository_name" {
  description = "Name of the ECR repository."
  value       = local.repository_name
}

output "ecr_repository_arn" {
  description = "ARN of the ECR repository."
  value       = local.repository_arn
}

output "ecr_repository_url" {
  description = "URL of the ECR repository (docker push target)."
  value       = local.repository_url
}

output "execution_role_arn" {
  description = "ARN of the ECS execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the application (task) role."
  value       = aws_iam_role.task.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the service and migration tasks."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "managed_secret_arns" {
  description = "Map of environment variable name to ARN of the secrets created empty by the module (put their values out of band)."
  value       = { for env_name, secret in aws_secretsmanager_secret.managed : env_name => secret.arn }
}

output "target_group_arn" {
  description = "ARN of the service's target group."
  value       = aws_lb_target_group.this.arn
}

output "host_header" {
  description = "Host name routed to the service."
  value       = var.host_header
}

output "url" {
  description = "Public base URL of the service."
  value       = "https://${var.host_header}"
}

output "worker_service_name" {
  description = "Name of the worker's ECS service (null: no worker)."
  value       = var.worker == null ? null : aws_ecs_service.worker[0].name
}

output "worker_service_arn" {
  description = "ARN of the worker's ECS service (null: no worker)."
  value       = var.worker == null ? null : aws_ecs_service.worker[0].id
}

output "worker_task_definition_family" {
  description = "Family of the worker's task definition (null: no worker)."
  value       = var.worker == null ? null : aws_ecs_task_definition.worker[0].family
}

output "worker_security_group_id" {
  description = "Security group of the worker's tasks (null: no worker)."
  value       = var.worker == null ? null : aws_security_group.worker[0].id
}

output "worker_log_group_name" {
  description = "CloudWatch log group of the worker (null: no worker)."
  value       = var.worker == null ? null : aws_cloudwatch_log_group.worker[0].name
}

output "worker_log_group_arn" {
  description = "ARN of the worker's log group (null: no worker)."
  value       = var.worker == null ? null : aws_cloudwatch_log_group.worker[0].arn
}
