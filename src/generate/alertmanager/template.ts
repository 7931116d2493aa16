// Notification templates (Go text/template, not YAML). No trimSpace: Alertmanager 0.25 lacks it.
// The bodies are also inlined into the Kubernetes AlertmanagerConfig, which cannot ship a
// template file: one text, two places.
import { header } from '../artifact.js';

export const TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.model }} {{ .CommonLabels.model }}{{ end }} ({{ .CommonLabels.severity }})';

/**
 * One line a pager shows: what, which model, how bad, and the first alert's own words (value and
 * level). Resolved notifications say what recovered instead of repeating the firing text.
 */
export const SUMMARY = '{{ if eq .Status "resolved" }}Resolved: {{ .CommonLabels.alertname }}{{ if .CommonLabels.model }} {{ .CommonLabels.model }}{{ end }} is back within its level ({{ (index .Alerts 0).Annotations.summary }}){{ else }}{{ .CommonLabels.alertname }}{{ if .CommonLabels.model }} {{ .CommonLabels.model }}{{ end }} ({{ .CommonLabels.severity }}): {{ (index .Alerts 0).Annotations.description }}{{ end }}';

export const TEXT = `{{ range .Alerts }}{{ if eq .Status "resolved" }}*Resolved:* {{ .Annotations.summary }} Back within its level since {{ .EndsAt.Format "2006-01-02 15:04 MST" }}.
{{ else }}*{{ .Annotations.summary }}*
{{ .Annotations.description }}
Started {{ .StartsAt.Format "2006-01-02 15:04 MST" }}.
{{ end }}{{ if .Annotations.owner }}Owner: {{ .Annotations.owner }}{{ if .Annotations.model_description }} ({{ .Annotations.model_description }}){{ end }}
{{ end }}Runbook: {{ .Annotations.runbook_url }}
Dashboard: {{ .Annotations.dashboard_url }}
{{ end }}`;

/** Slack attachment colour: red for a critical problem, amber for a warning, green once resolved. */
export const COLOR = '{{ if eq .Status "resolved" }}good{{ else if eq .CommonLabels.severity "critical" }}danger{{ else }}warning{{ end }}';

export const TEMPLATE = (configPath: string) => `{{/* ${header(configPath)} */}}
{{ define "modelwatch.title" }}${TITLE}{{ end }}

{{ define "modelwatch.text" }}${TEXT}{{ end }}

{{ define "modelwatch.summary" }}${SUMMARY}{{ end }}

{{ define "modelwatch.color" }}${COLOR}{{ end }}
`;
