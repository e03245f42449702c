{{/* Names, labels and small pieces shared by the templates. */}}

{{- define "sparkplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's base name: <release> when it contains the chart name, else <release>-<chart>. */}}
{{- define "sparkplane.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sparkplane.operator.fullname" -}}
{{- printf "%s-operator" (include "sparkplane.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sparkplane.history.fullname" -}}
{{- printf "%s-history-server" (include "sparkplane.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sparkplane.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "sparkplane.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "sparkplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: (dict "ctx" $ "component" "operator"). */}}
{{- define "sparkplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sparkplane.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sparkplane.componentLabels" -}}
{{ include "sparkplane.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sparkplane.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create -}}
{{- default (include "sparkplane.operator.fullname" .) .Values.operator.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.operator.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sparkplane.history.serviceAccountName" -}}
{{- if .Values.historyServer.serviceAccount.create -}}
{{- default (include "sparkplane.history.fullname" .) .Values.historyServer.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.historyServer.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The history server's address through its ingress. */}}
{{- define "sparkplane.history.ingressUrl" -}}
{{- $i := .Values.historyServer.ingress -}}
{{- printf "%s://%s%s" (ternary "https" "http" (gt (len $i.tls) 0)) $i.host ($i.path | trimSuffix "/") -}}
{{- end -}}

{{/* The history server's UI address, for the operator UI's links. */}}
{{- define "sparkplane.historyUrl" -}}
{{- if .Values.operator.ui.historyUrl -}}
{{- .Values.operator.ui.historyUrl -}}
{{- else if and .Values.historyServer.enabled .Values.historyServer.ingress.enabled -}}
{{- include "sparkplane.history.ingressUrl" . -}}
{{- else if .Values.historyServer.enabled -}}
{{- printf "http://%s.%s.svc:%v" (include "sparkplane.history.fullname" .) .Release.Namespace .Values.historyServer.service.port -}}
{{- end -}}
{{- end -}}

{{/* The pod and container security contexts. */}}
{{- define "sparkplane.podSecurityContext" -}}
{{ toYaml .Values.podSecurityContext }}
{{- end -}}
{{- define "sparkplane.securityContext" -}}
{{ toYaml .Values.securityContext }}
{{- end -}}

{{/* S3 flags from a dict with endpoint, region, pathStyle. */}}
{{- define "sparkplane.s3Args" -}}
{{- if .endpoint }}
- --s3-endpoint={{ .endpoint }}
{{- end }}
{{- if .region }}
- --s3-region={{ .region }}
{{- end }}
{{- if .pathStyle }}
- --s3-path-style
{{- end }}
{{- end -}}
