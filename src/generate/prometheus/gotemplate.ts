// Renders the small subset of Prometheus alert templating that generated annotations use, the way
// Prometheus does, so generated promtool tests can state the exact annotations they expect.
// Anything outside the subset throws: a template we cannot predict is a template we do not emit.

const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** Four significant digits rounded like Go's strconv: exact ties go to the even digit. */
function significant4(v: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(v).toExponential(20).split('e') as [string, string];
  const all = mantissa.replace('.', '');
  let head = all.slice(0, 4);
  const rest = all.slice(4);
  let exp = Number(e);
  const up = (rest[0] as string) > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(head[3]) % 2 === 1));
  if (up) {
    let n = Number(head) + 1;
    if (n === 10000) { n = 1000; exp += 1; }
    head = String(n);
  }
  return { digits: head, exp };
}

/** Go's %.4g: 4 significant digits, trailing zeros dropped, exponent form outside [1e-4, 1e4). */
export function goG4(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = significant4(v);
  if (exp < -4 || exp >= 4) {
    return `${sign}${trimZeros(`${digits[0]}.${digits.slice(1)}`)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const fixed = exp >= 0 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${trimZeros(fixed)}`;
}

export function humanizePercentage(v: number): string {
  return `${goG4(v * 100)}%`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goG4(v);
  if (v === 0) return `${goG4(v)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const a = Math.trunc(Math.abs(v));
    const [d, h, m, s] = [Math.floor(a / 86400), Math.floor(a / 3600) % 24, Math.floor(a / 60) % 60, a % 60];
    if (d) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h) return `${sign}${h}h ${m}m ${s}s`;
    if (m) return `${sign}${m}m ${s}s`;
    return `${sign}${goG4(Math.abs(v))}s`;
  }
  let prefix = '';
  let x = v;
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${goG4(x)}${prefix}s`;
}

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG4(v);
  let x = v;
  if (Math.abs(x) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(x) < 1000) break;
      prefix = p;
      x /= 1000;
    }
    return `${goG4(x)}${prefix}`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${goG4(x)}${prefix}`;
}

/** Go's %.0f: round half to even, as strconv does. */
export function goF0(v: number): string {
  if (!Number.isFinite(v)) return goG4(v);
  const floor = Math.floor(v);
  const diff = v - floor;
  const n = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return Object.is(n, -0) ? '-0' : String(n);
}

const FUNCS: Record<string, (v: number) => string> = { humanize, humanizePercentage, humanizeDuration, 'printf "%.4g"': goG4, 'printf "%.0f"': goF0 };

export function renderTemplate(template: string, labels: Readonly<Record<string, string>>, value: number): string {
  return template.replace(/\{\{(.*?)\}\}/g, (_, body: string) => {
    const expr = body.trim();
    const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(expr);
    if (label) return labels[label[1] as string] ?? '<no value>';
    const fn = /^\$value \| ([a-zA-Z]+|printf "%\.4g"|printf "%\.0f")$/.exec(expr);
    if (fn && FUNCS[fn[1] as string]) return (FUNCS[fn[1] as string] as (v: number) => string)(value);
    throw new Error(`unsupported template expression {{ ${expr} }}`);
  });
}
