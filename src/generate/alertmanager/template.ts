// Notification templates (Go text/template, not YAML). No trimSpace: Alertmanager 0.25 lacks it.
import { header } from '../artifact.js';

export const TEMPLATE = (configPath: string) => `{{/* ${header(configPath)} */}}
{{ define "modelwatch.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.model }} {{ .CommonLabels.model }}{{ end }} ({{ .CommonLabels.severity }}){{ end }}

{{ define "modelwatch.text" }}{{ range .Alerts }}*{{ .Annotations.summary }}*
{{ .Annotations.description }}
Runbook: {{ .Annotations.runbook_url }}
Dashboard: {{ .Annotations.dashboard_url }}
{{ end }}{{ end }}
`;
