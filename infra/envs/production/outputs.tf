# The deploy contract (docs/infrastructure.md, .github/workflows/deploy.yml,
# docs/ci-cd.md): the platform module's outputs, passed through under the same names.

output "aws_region" {
  description = "AWS region of the environment."
  value       = module.platform.aws_region
}

output "ecs_cluster_name" {
  description = "ECS cluster (cathouse-<env>)."
  value       = module.platform.ecs_cluster_name
}

output "ecs_service_name" {
  description = "ECS service of the Task Manager API."
  value       = module.platform.ecs_service_name
}

output "task_definition_family" {
  description = "Task definition family of the Task Manager service."
  value       = module.platform.task_definition_family
}

output "container_name" {
  description = "Container name in the service task definition (image to replace on deploy)."
  value       = module.platform.container_name
}

output "migration_task_definition_family" {
  description = "Task definition family that runs `task-manager migrate`."
  value       = module.platform.migration_task_definition_family
}

output "migration_container_name" {
  description = "Container name in the migration task definition."
  value       = module.platform.migration_container_name
}

output "migration_subnet_ids" {
  description = "Subnets for aws ecs run-task --network-configuration awsvpcConfiguration.subnets."
  value       = module.platform.migration_subnet_ids
}

output "migration_security_group_ids" {
  description = "Security groups for aws ecs run-task --network-configuration awsvpcConfiguration.securityGroups."
  value       = module.platform.migration_security_group_ids
}

output "migration_assign_public_ip" {
  description = "awsvpcConfiguration.assignPublicIp for aws ecs run-task (ENABLED or DISABLED)."
  value       = module.platform.migration_assign_public_ip
}

output "ecr_repository_name" {
  description = "ECR repository of the Task Manager image."
  value       = module.platform.ecr_repository_name
}

output "ecr_repository_url" {
  description = "ECR repository URL (docker push target)."
  value       = module.platform.ecr_repository_url
}

output "github_deploy_role_arn" {
  description = "Role assumed by the GitHub deploy workflow through OIDC."
  value       = module.platform.github_deploy_role_arn
}

output "api_url" {
  description = "Public base URL of the API."
  value       = module.platform.api_url
}

output "database_url_secret_arn" {
  description = "Secret holding DATABASE_URL (put the Neon URL with aws secretsmanager put-secret-value)."
  value       = module.platform.database_url_secret_arn
}

output "api_key_secret_names" {
  description = "API-key secret per client application."
  value       = module.platform.api_key_secret_names
}

output "log_group_name" {
  description = "CloudWatch log group of the service and migration tasks."
  value       = module.platform.log_group_name
}

output "services" {
  description = "Deploy details of every service, keyed by service name: ECS service, task definition and migration families, container names, ECR repository, tasks security group, log group and managed secret ARNs."
  value       = module.platform.services
}
