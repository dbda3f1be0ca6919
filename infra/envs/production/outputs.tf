# Names the deploy workflow relies on.

output "aws_region" {
  description = "AWS region of the environment."
  value       = var.aws_region
}

output "ecs_cluster_name" {
  description = "ECS cluster (cathouse-<env>)."
  value       = module.cluster.name
}

output "ecs_service_name" {
  description = "ECS service of the Task Manager API."
  value       = module.task_manager.service_name
}

output "task_definition_family" {
  description = "Task definition family of the Task Manager service."
  value       = module.task_manager.task_definition_family
}

output "container_name" {
  description = "Container name in the service task definition (image to replace on deploy)."
  value       = module.task_manager.container_name
}

output "migration_task_definition_family" {
  description = "Task definition family that runs `task-manager migrate`."
  value       = module.task_manager.migration_task_definition_family
}

output "migration_container_name" {
  description = "Container name in the migration task definition."
  value       = module.task_manager.migration_container_name
}

output "migration_subnet_ids" {
  description = "Subnets for aws ecs run-task --network-configuration awsvpcConfiguration.subnets."
  value       = module.network.task_subnet_ids
}

output "migration_security_group_ids" {
  description = "Security groups for aws ecs run-task --network-configuration awsvpcConfiguration.securityGroups."
  value       = [module.task_manager.task_security_group_id]
}

output "migration_assign_public_ip" {
  description = "awsvpcConfiguration.assignPublicIp for aws ecs run-task (ENABLED or DISABLED)."
  value       = module.network.tasks_assign_public_ip ? "ENABLED" : "DISABLED"
}

output "ecr_repository_name" {
  description = "ECR repository of the Task Manager image."
  value       = module.task_manager.ecr_repository_name
}

output "ecr_repository_url" {
  description = "ECR repository URL (docker push target)."
  value       = module.task_manager.ecr_repository_url
}

output "github_deploy_role_arn" {
  description = "Role assumed by the GitHub deploy workflow through OIDC."
  value       = module.github_oidc.role_arn
}

output "api_url" {
  description = "Public base URL of the API."
  value       = module.alb.url
}

output "database_url_secret_arn" {
  description = "Secret holding DATABASE_URL (put the Neon URL with aws secretsmanager put-secret-value)."
  value       = module.task_manager.managed_secret_arns["DATABASE_URL"]
}

output "api_key_secret_names" {
  description = "API-key secret per client application."
  value       = module.api_keys.secret_names_by_client
}

output "log_group_name" {
  description = "CloudWatch log group of the service and migration tasks."
  value       = module.task_manager.log_group_name
}
