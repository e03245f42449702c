variable "region" {
  description = "AWS region of the EKS cluster and of the event-log bucket."
  type        = string
}

variable "cluster_name" {
  description = "Name of the existing EKS cluster (with the EKS Pod Identity Agent add-on installed)."
  type        = string
}

variable "namespace" {
  description = "Namespace of the sparkplane release: the operator and the history server run there."
  type        = string
  default     = "sparkplane"
}

variable "job_namespaces" {
  description = "Namespaces where SparkApplications run; each gets the driver service account `spark` (values-eks.yaml spark.jobNamespaces)."
  type        = list(string)
  default     = ["spark-jobs"]
}

variable "bucket_name" {
  description = "S3 bucket for Spark event logs: created here when create_bucket is true, otherwise an existing one."
  type        = string
}

variable "create_bucket" {
  description = "Create the bucket (versioning off, SSE-S3, public access blocked, TLS only). False: use an existing bucket named bucket_name."
  type        = bool
  default     = true
}

variable "event_log_prefix" {
  description = "Key prefix of the event logs in the bucket, without slashes at either end."
  type        = string
  default     = "spark-events"

  validation {
    condition     = length(var.event_log_prefix) > 0 && !startswith(var.event_log_prefix, "/") && !endswith(var.event_log_prefix, "/")
    error_message = "event_log_prefix must be non-empty, without a leading or trailing slash (e.g. spark-events)."
  }
}

variable "history_cleaner_enabled" {
  description = "Let the history server delete old event logs (its --cleaner): grants it s3:DeleteObject on the prefix."
  type        = bool
  default     = false
}

variable "install_chart" {
  description = "Install the chart with helm_release. Leave false when Argo CD installs it (deploy/eks/argocd): two owners of one release fight."
  type        = bool
  default     = false
}

variable "chart_path" {
  description = "Local path of the sparkplane chart. Null: deploy/helm/sparkplane of this repository."
  type        = string
  default     = null
}

variable "values_file" {
  description = "Values file for the chart. Null: deploy/eks/values-eks.yaml of this repository."
  type        = string
  default     = null
}

variable "image_repository" {
  description = "Repository of the sparkplane image (operator, history server, ship sidecar), without a tag."
  type        = string
  default     = "sparkplane"
}

variable "image_tag" {
  description = "Tag of the sparkplane image."
  type        = string
  default     = "0.1.0"
}

variable "tags" {
  description = "Tags for every AWS resource made here."
  type        = map(string)
  default     = {}
}
