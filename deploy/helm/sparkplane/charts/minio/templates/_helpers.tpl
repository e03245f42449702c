{{- define "minio.fullname" -}}
{{- printf "%s-minio" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "minio.secretName" -}}
{{- default (include "minio.fullname" .) .Values.existingSecret -}}
{{- end -}}
{{- define "minio.labels" -}}
app.kubernetes.io/name: minio
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: object-store
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "minio.selectorLabels" -}}
app.kubernetes.io/name: minio
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
