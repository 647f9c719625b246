{{- define "mini-lb.name" -}}
{{- .Chart.Name -}}
{{- end -}}

{{- define "mini-lb.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mini-lb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mini-lb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mini-lb.labels" -}}
{{ include "mini-lb.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "mini-lb.serviceAccountName" -}}
{{- default (include "mini-lb.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}
