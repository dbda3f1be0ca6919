output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (ALB)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (empty unless enable_nat_gateway)."
  value       = aws_subnet.private[*].id
}

output "task_subnet_ids" {
  description = "Subnets where ECS tasks (service and migration) run."
  value       = var.enable_nat_gateway ? aws_subnet.private[*].id : aws_subnet.public[*].id
}

output "tasks_assign_public_ip" {
  description = "Whether ECS tasks need a public IP to reach the internet (true when there is no NAT gateway)."
  value       = !var.enable_nat_gateway
}
