// Notification templates (Go text/template, not YAML). No trimSpace: Alertmanager 0.25 lacks it.
// The bodies are also inlined into the Kubernetes AlertmanagerConfig, which cannot ship a
// template file: one text, two places.
import { header } from '../artifact.js';

export const TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.model }} {{ .CommonLabels.model }}{{ end }} ({{ .CommonLabels.severity }})';

export const TEXT = `{{ range .Alerts }}*{{ .Annotations.summary }}*
{{ .Annotations.description }}
{{ if .Annotations.owner }}Owner: {{ .Annotations.owner }}{{ if .Annotations.model_description }} ({{ .Annotations.model_description }}){{ end }}
{{ end }}Runbook: {{ .Annotations.runbook_url }}
Dashboard: {{ .Annotations.dashboard_url }}
{{ end }}`;

export const TEMPLATE = (configPath: string) => `{{/* ${header(configPath)} */}}
{{ define "modelwatch.title" }}${TITLE}{{ end }}

{{ define "modelwatch.text" }}${TEXT}{{ end }}
`;
