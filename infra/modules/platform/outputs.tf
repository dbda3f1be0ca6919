# The env roots pass these through under the same names (the deploy contract,
# see docs/infrastructure.md). The single-service outputs describe
# var.primary_service; `services` describes every service.

locals {
  # Falls back to the first service so that the precondition of ecs_service_name,
  # not an index error, reports a primary_service missing from var.services.
  primary = module.service[contains(keys(var.services), var.primary_service) ? var.primary_service : keys(var.services)[0]]
}

output "aws_region" {
  description = "AWS region of the environment (the provider's region)."
  value       = data.aws_region.current.name
}

output "name" {
  description = "Name prefix of the environment's resources (cathouse-<env>)."
  value       = local.name
}

output "ecs_cluster_name" {
  description = "ECS cluster (cathouse-<env>)."
  value       = module.cluster.name
}

output "ecs_service_name" {
  description = "ECS service of the primary service (Task Manager API)."
  value       = local.primary.service_name

  precondition {
    condition     = contains(keys(var.services), var.primary_service)
    error_message = "primary_service must be a key of services."
  }
}

output "task_definition_family" {
  description = "Task definition family of the primary service."
  value       = local.primary.task_definition_family
}

output "container_name" {
  description = "Container name in the primary service's task definition (image to replace on deploy)."
  value       = local.primary.container_name
}

output "migration_task_definition_family" {
  description = "Task definition family that runs the primary service's migrations (`task-manager migrate`)."
  value       = local.primary.migration_task_definition_family
}

output "migration_container_name" {
  description = "Container name in the primary service's migration task definition."
  value       = local.primary.migration_container_name
}

output "migration_subnet_ids" {
  description = "Subnets for aws ecs run-task --network-configuration awsvpcConfiguration.subnets."
  value       = module.network.task_subnet_ids
}

output "migration_security_group_ids" {
  description = "Security groups for aws ecs run-task --network-configuration awsvpcConfiguration.securityGroups (primary service)."
  value       = [local.primary.task_security_group_id]
}

output "migration_assign_public_ip" {
  description = "awsvpcConfiguration.assignPublicIp for aws ecs run-task (ENABLED or DISABLED)."
  value       = module.network.tasks_assign_public_ip ? "ENABLED" : "DISABLED"
}

output "ecr_repository_name" {
  description = "ECR repository of the primary service's image."
  value       = local.primary.ecr_repository_name
}

output "ecr_repository_url" {
  description = "ECR repository URL of the primary service (docker push target)."
  value       = local.primary.ecr_repository_url
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
  description = "Secret holding the primary service's DATABASE_URL (put the Neon URL with aws secretsmanager put-secret-value); null if it has none."
  value       = lookup(local.primary.managed_secret_arns, "DATABASE_URL", null)
}

output "api_key_secret_names" {
  description = "API-key secret per client application."
  value       = module.api_keys.secret_names_by_client
}

output "log_group_name" {
  description = "CloudWatch log group of the primary service and its migration tasks."
  value       = local.primary.log_group_name
}

output "services" {
  description = "Deploy details of every service, keyed by service name: URL, ECS service, task definition and migration families, container names, ECR repository, tasks security group, log group, managed secret ARNs and the worker's service, family and log group (null without a worker)."
  value = {
    for name, service in module.service : name => {
      url                              = service.url
      service_name                     = service.service_name
      task_definition_family           = service.task_definition_family
      container_name                   = service.container_name
      migration_task_definition_family = service.migration_task_definition_family
      migration_container_name         = service.migration_container_name
      migration_security_group_ids     = [service.task_security_group_id]
      ecr_repository_name              = service.ecr_repository_name
      ecr_repository_url               = service.ecr_repository_url
      log_group_name                   = service.log_group_name
      managed_secret_arns              = service.managed_secret_arns
      worker_service_name              = service.worker_service_name
      worker_task_definition_family    = service.worker_task_definition_family
      worker_log_group_name            = service.worker_log_group_name
    }
  }
}
