# Remote state in S3 with S3-native locking (use_lockfile, Terraform >= 1.10):
# the lock is a conditional-write "<key>.tflock" object next to the state, so
# there is no DynamoDB table to create, pay for or lose (DynamoDB locking is
# deprecated since Terraform 1.11). The bucket is created once by hand, see
# docs/infrastructure.md "Bootstrap".
terraform {
  backend "s3" {
    bucket       = "cathouse-platform-tfstate"
    key          = "envs/staging/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}
