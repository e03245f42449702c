output "bucket_name" {
  description = "The event-log bucket."
  value       = var.bucket_name
}

output "event_log_dir" {
  description = "Where the logs go: values-eks.yaml's historyServer.logDir and operator.eventLogShipping.eventLogDir, and the examples' spark.eventLog.dir."
  value       = local.event_log_dir
}

output "region" {
  description = "values-eks.yaml's historyServer.s3.region."
  value       = var.region
}

output "history_server_role_arn" {
  description = "Role of the history server (Pod Identity; for IRSA, the chart's historyServer.serviceAccount.annotations)."
  value       = aws_iam_role.history_server.arn
}

output "spark_role_arn" {
  description = "Role of the Spark drivers and their ship sidecar."
  value       = aws_iam_role.spark.arn
}

output "pod_identity_associations" {
  description = "namespace/service account -> association id."
  value = merge(
    { "${var.namespace}/${local.history_server_service_account}" = aws_eks_pod_identity_association.history_server.association_id },
    { for ns, a in aws_eks_pod_identity_association.spark : "${ns}/${local.spark_service_account}" => a.association_id },
  )
}
