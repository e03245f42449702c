# Terraform 1.5+ or OpenTofu 1.6+.
#
# Provider majors: aws 6.x and helm 3.x, the current ones. helm 3.x is written on the plugin
# framework: its `kubernetes` provider setting and helm_release's `set` / `set_list` are
# attributes (`= { ... }`, `= [ { ... } ]`), not blocks as in helm 2.x; main.tf uses that form.
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
  }
}
