output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch LoadBalancer dimension)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "security_group_id" {
  description = "ID of the ALB security group (services allow ingress only from it)."
  value       = aws_security_group.alb.id
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener where services attach their listener rules."
  value       = aws_lb_listener.https.arn
}

output "domain_name" {
  description = "Domain name served by the ALB."
  value       = var.domain_name
}

output "url" {
  description = "Base URL of the API."
  value       = "https://${var.domain_name}"
}

output "host_names" {
  description = "Every host name the ALB serves (domain_name first, then alternative_names)."
  value       = concat([var.domain_name], var.alternative_names)
}
