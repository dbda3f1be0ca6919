# Image repository of the service. Set create_ecr_repository = false when the
# repository already exists (e.g. created by the staging environment in the
# same AWS account) to only look it up.

resource "aws_ecr_repository" "this" {
  #checkov:skip=CKV_AWS_136:Images are encrypted at rest with AES256 (ECR default); a customer-managed KMS key brings no extra protection for public-source images.
  count = var.create_ecr_repository ? 1 : 0

  name                 = var.ecr_repository_name != null ? var.ecr_repository_name : var.name
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  count = var.create_ecr_repository ? 1 : 0

  repository = aws_ecr_repository.this[0].name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after 7 days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the last ${var.ecr_keep_images} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.ecr_keep_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

data "aws_ecr_repository" "existing" {
  count = var.create_ecr_repository ? 0 : 1

  name = var.ecr_repository_name != null ? var.ecr_repository_name : var.name
}

locals {
  repository_name = var.create_ecr_repository ? aws_ecr_repository.this[0].name : data.aws_ecr_repository.existing[0].name
  repository_arn  = var.create_ecr_repository ? aws_ecr_repository.this[0].arn : data.aws_ecr_repository.existing[0].arn
  repository_url  = var.create_ecr_repository ? aws_ecr_repository.this[0].repository_url : data.aws_ecr_repository.existing[0].repository_url
}
