provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "cathouse-platform"
      Environment = local.environment
      ManagedBy   = "terraform"
      Repository  = var.github_repository
    }
  }
}
