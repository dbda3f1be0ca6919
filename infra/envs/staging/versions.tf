terraform {
  # use_lockfile (S3-native state locking) needs Terraform >= 1.10; the modules
  # themselves only need >= 1.6.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.50"
    }
  }
}
