// A config problem, located in the file. Paths use the config's own spelling: models[0].features[2].range.
export type PathSegment = string | number;

export interface Issue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly line?: number;
  readonly col?: number;
}

/** models[0].features[2].range; keys that are not plain words are quoted: log_stores[0][" "]. */
export const formatPath = (path: readonly PathSegment[]): string =>
  path.reduce<string>((out, seg) => {
    if (typeof seg === 'number') return `${out}[${seg}]`;
    if (!/^[A-Za-z0-9_-]+$/.test(seg)) return `${out}[${JSON.stringify(seg)}]`;
    return out ? `${out}.${seg}` : seg;
  }, '') || '(root)';

// Control characters from config values (a newline in a key, an escape sequence) are shown
// escaped: one problem stays one line, and nothing is sent to the terminal raw.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const visible = (text: string) => text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const formatIssue = (file: string, issue: Issue): string =>
  visible(`${file}:${issue.line ?? 1}:${issue.col ?? 1} ${formatPath(issue.path)}: ${issue.message}`);

/** Parses an ajv instancePath (/models/0/name) into segments. */
export const fromPointer = (pointer: string): PathSegment[] =>
  pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
