# What sparkplane needs from AWS, for an EKS cluster that exists already:
#   - an S3 bucket for Spark event logs (optional: create_bucket),
#   - an IAM role for the history server (reads the logs) and one for the Spark drivers (their
#     event-log ship sidecar writes the logs), both assumable through EKS Pod Identity,
#   - the Pod Identity associations binding those roles to the chart's service accounts,
#   - optionally the chart itself (install_chart), for clusters without Argo CD.
# Run this before Argo CD syncs the chart: a pod gets Pod Identity credentials only if its
# service account's association existed when the pod started.

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

data "aws_partition" "current" {}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_eks_cluster_auth" "this" {
  name = var.cluster_name
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    token                  = data.aws_eks_cluster_auth.this.token
  }
}

locals {
  # The service accounts the chart makes (values-eks.yaml): the history server's in the
  # release namespace, the drivers' in each job namespace. The operator needs no AWS access:
  # it opens no bucket, it only tells drivers where to ship.
  history_server_service_account = "sparkplane-history-server"
  spark_service_account          = "spark"

  event_log_dir      = "s3://${var.bucket_name}/${var.event_log_prefix}"
  bucket_arn         = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket_name}"
  event_log_keys_arn = "${local.bucket_arn}/${var.event_log_prefix}/*"

  chart_path  = coalesce(var.chart_path, "${path.module}/../../helm/sparkplane")
  values_file = coalesce(var.values_file, "${path.module}/../values-eks.yaml")
}

# ---- the event-log bucket -------------------------------------------------------------------

resource "aws_s3_bucket" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = var.bucket_name
}

# Versioning off: the ship sidecar uploads a running application's log again every time it
# grows, and removes in-progress copies when the application ends; with versioning on, every
# one of those would be kept as a noncurrent version, and paid for.
resource "aws_s3_bucket_versioning" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.event_logs[0].id

  versioning_configuration {
    status = "Disabled"
  }
}

# SSE-S3: encrypted at rest with keys S3 manages, so the roles need no KMS permissions.
resource "aws_s3_bucket_server_side_encryption_configuration" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.event_logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.event_logs[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.event_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Big logs go up as multipart uploads; a sidecar killed in the middle of one leaves its parts
# behind, invisible and billed. Abort what is left after a week.
resource "aws_s3_bucket_lifecycle_configuration" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.event_logs[0].id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {
      prefix = "${var.event_log_prefix}/"
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

# Refuse plain HTTP (sparkplane talks HTTPS to S3).
data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "event_logs" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.event_logs[0].id
  policy = data.aws_iam_policy_document.tls_only.json

  depends_on = [aws_s3_bucket_public_access_block.event_logs]
}

# ---- IAM roles for EKS Pod Identity ---------------------------------------------------------

# Who may assume the roles: the EKS Pod Identity service, on behalf of the pods whose service
# account is associated with the role (the associations below). sts:TagSession because Pod
# Identity tags each session with the cluster, namespace and service account.
data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

# The history server lists the logs and reads them; with its cleaner on, it also deletes old
# ones. ListBucket is on the whole bucket, with no s3:prefix condition: sparkplane also sends
# HEAD to the bucket itself (to tell a missing key from a missing bucket), and that request
# has no prefix, so a condition on it would refuse it.
data "aws_iam_policy_document" "history_server" {
  statement {
    sid       = "ListEventLogs"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "ReadEventLogs"
    actions   = concat(["s3:GetObject"], var.history_cleaner_enabled ? ["s3:DeleteObject"] : [])
    resources = [local.event_log_keys_arn]
  }
}

resource "aws_iam_role" "history_server" {
  name               = "${var.cluster_name}-sparkplane-history-server"
  description        = "sparkplane history server: reads Spark event logs from s3://${var.bucket_name}/${var.event_log_prefix}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
}

resource "aws_iam_role_policy" "history_server" {
  name   = "event-logs-read"
  role   = aws_iam_role.history_server.id
  policy = data.aws_iam_policy_document.history_server.json
}

# The drivers' pods: their `spark-event-log-shipper` sidecar uploads each log (PutObject, and
# multipart uploads, which PutObject covers, AbortMultipartUpload to give up on one) and
# deletes the in-progress copy or marker once the final file is up (DeleteObject: see
# src/eventlog/log_shipper.h). Read and list for the HEADs and listings it makes.
data "aws_iam_policy_document" "spark" {
  statement {
    sid       = "ListEventLogs"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid = "ShipEventLogs"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = [local.event_log_keys_arn]
  }
}

resource "aws_iam_role" "spark" {
  name               = "${var.cluster_name}-sparkplane-spark-drivers"
  description        = "Spark drivers run by sparkplane: ship event logs to s3://${var.bucket_name}/${var.event_log_prefix}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
}

resource "aws_iam_role_policy" "spark" {
  name   = "event-logs-write"
  role   = aws_iam_role.spark.id
  policy = data.aws_iam_policy_document.spark.json
}

# ---- Pod Identity associations --------------------------------------------------------------

resource "aws_eks_pod_identity_association" "history_server" {
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = local.history_server_service_account
  role_arn        = aws_iam_role.history_server.arn
}

resource "aws_eks_pod_identity_association" "spark" {
  for_each = toset(var.job_namespaces)

  cluster_name    = var.cluster_name
  namespace       = each.value
  service_account = local.spark_service_account
  role_arn        = aws_iam_role.spark.arn
}

# ---- the chart (only without Argo CD) -------------------------------------------------------

resource "helm_release" "sparkplane" {
  count = var.install_chart ? 1 : 0

  name             = "sparkplane"
  namespace        = var.namespace
  create_namespace = true
  chart            = local.chart_path
  values           = [file(local.values_file)]

  # What this module knows better than the values file: where the bucket is, which service
  # accounts it associated, and whether the history server may delete (its cleaner).
  set = [
    { name = "image.repository", value = var.image_repository },
    { name = "image.tag", value = var.image_tag, type = "string" },
    { name = "operator.eventLogShipping.eventLogDir", value = local.event_log_dir },
    { name = "historyServer.logDir", value = local.event_log_dir },
    { name = "historyServer.s3.region", value = var.region },
    { name = "operator.eventLogShipping.s3.region", value = var.region },
    { name = "historyServer.cleaner.enabled", value = tostring(var.history_cleaner_enabled) },
    { name = "historyServer.serviceAccount.name", value = local.history_server_service_account },
    { name = "spark.serviceAccount.name", value = local.spark_service_account },
  ]

  set_list = [
    { name = "spark.jobNamespaces", value = var.job_namespaces },
    { name = "operator.watchNamespaces", value = var.job_namespaces },
  ]

  # Associations first, so the pods start with their credentials.
  depends_on = [
    aws_eks_pod_identity_association.history_server,
    aws_eks_pod_identity_association.spark,
  ]
}
