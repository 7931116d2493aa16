// Billing APIs (APIS.md §1, §2): OpenAI Costs + Usage, Anthropic cost_report + usage_report.
// Day buckets arrive late and are revised, so every poll re-reads a trailing window (the month
// so far, and at least the last 8 days) and the caller replaces its gauges: a bucket is never
// added twice. Amounts are US dollars: OpenAI reports dollars, Anthropic cents (divided by 100).
import type { BillingSource } from '../config/index.js';
import { SourceError } from './errors.js';
import { parseJson, requestOk } from './http.js';
import { readSecret } from './secret.js';
import { getPath } from './path.js';

export type Period = 'today' | 'yesterday' | 'trailing_7d' | 'month_to_date';
export interface CostRow { readonly day: number; readonly project: string; readonly model: string; readonly lineItem: string; readonly usd: number }
export interface TokenRow { readonly day: number; readonly project: string; readonly model: string; readonly tokenType: string; readonly tokens: number }
export interface BillingSnapshot { readonly costs: CostRow[]; readonly tokens: TokenRow[] }

const DAY = 86400;
export const dayStart = (t: number) => Math.floor(t / DAY) * DAY;
export const monthStart = (t: number) => { const d = new Date(t * 1000); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000; };
export const windowStart = (now: number) => Math.min(monthStart(now), dayStart(now) - 8 * DAY);

/** The periods a day bucket counts towards, relative to now (UTC days). */
export function periodsOf(day: number, now: number): Period[] {
  const today = dayStart(now);
  const out: Period[] = [];
  if (day === today) out.push('today');
  if (day === today - DAY) out.push('yesterday');
  if (day >= today - 7 * DAY && day < today) out.push('trailing_7d');
  if (day >= monthStart(now) && day <= today) out.push('month_to_date');
  return out;
}

interface Page { data?: unknown[]; has_more?: boolean; next_page?: string | null }

async function pages(url: (page: string | null) => string, headers: Record<string, string>, signal: AbortSignal, maxPages = 20): Promise<unknown[]> {
  const out: unknown[] = [];
  let page: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const body = parseJson((await requestOk(url(page), { signal, headers })).text, 'billing page') as Page;
    if (!Array.isArray(body?.data)) throw new SourceError('invalid_output', 'billing response has no data array');
    out.push(...body.data);
    if (!body.has_more || !body.next_page) return out;
    page = body.next_page;
  }
  return out;
}

const str = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);

async function openai(b: BillingSource, now: number, signal: AbortSignal): Promise<BillingSnapshot> {
  const headers = { authorization: `Bearer ${readSecret(b.apiKey as NonNullable<BillingSource['apiKey']>)}` };
  const start = windowStart(now);
  const q = (path: string, groups: string[], limit: number) => (page: string | null) =>
    `${b.url}${path}?start_time=${start}&bucket_width=1d&limit=${limit}${groups.map((g) => `&group_by=${g}`).join('')}${page ? `&page=${encodeURIComponent(page)}` : ''}`;
  type Bucket = { start_time: number; results?: Record<string, unknown>[] };
  const costs = (await pages(q('/organization/costs', ['project_id', 'line_item'], 180), headers, signal)) as Bucket[];
  const usage = (await pages(q('/organization/usage/completions', ['project_id', 'model'], 31), headers, signal)) as Bucket[];
  return {
    costs: costs.flatMap((bk) => (bk.results ?? []).map((r) => {
      const lineItem = str(r.line_item, 'unknown');
      const amount = r.amount as { value?: number } | undefined;
      return { day: dayStart(bk.start_time), project: str(r.project_id, 'default'), model: lineItem.split(',')[0]?.trim() ?? 'unknown', lineItem, usd: Number(amount?.value ?? 0) };
    })),
    tokens: usage.flatMap((bk) => (bk.results ?? []).flatMap((r) => ([['input', r.input_uncached_tokens ?? r.input_tokens], ['cached_input', r.input_cached_tokens], ['output', r.output_tokens]] as const)
      .filter(([, v]) => typeof v === 'number')
      .map(([tokenType, v]) => ({ day: dayStart(bk.start_time), project: str(r.project_id, 'default'), model: str(r.model, 'unknown'), tokenType, tokens: v as number })))),
  };
}

async function anthropic(b: BillingSource, now: number, signal: AbortSignal): Promise<BillingSnapshot> {
  const headers = { 'x-api-key': readSecret(b.apiKey as NonNullable<BillingSource['apiKey']>), 'anthropic-version': '2023-06-01' };
  const start = new Date(windowStart(now) * 1000).toISOString();
  const q = (path: string, groups: string[], limit: number) => (page: string | null) =>
    `${b.url}${path}?starting_at=${encodeURIComponent(start)}&bucket_width=1d&limit=${limit}${groups.map((g) => `&group_by[]=${g}`).join('')}${page ? `&page=${encodeURIComponent(page)}` : ''}`;
  type Bucket = { starting_at: string; results?: Record<string, unknown>[] };
  const day = (bk: Bucket) => dayStart(Date.parse(bk.starting_at) / 1000);
  const costs = (await pages(q('/v1/organizations/cost_report', ['workspace_id', 'description'], 31), headers, signal)) as Bucket[];
  const usage = (await pages(q('/v1/organizations/usage_report/messages', ['workspace_id', 'model'], 31), headers, signal)) as Bucket[];
  return {
    // cost_report amounts are decimal strings in cents: "123.45" USD means $1.2345.
    costs: costs.flatMap((bk) => (bk.results ?? []).map((r) => ({ day: day(bk), project: str(r.workspace_id, 'default'), model: str(r.model, 'unknown'), lineItem: str(r.cost_type, 'tokens'), usd: Number(r.amount ?? 0) / 100 }))),
    tokens: usage.flatMap((bk) => (bk.results ?? []).flatMap((r) => {
      const cache = (r.cache_creation ?? {}) as Record<string, number>;
      const types: [string, unknown][] = [['input', r.uncached_input_tokens], ['cached_input', r.cache_read_input_tokens], ['cache_write', (cache.ephemeral_5m_input_tokens ?? 0) + (cache.ephemeral_1h_input_tokens ?? 0)], ['output', r.output_tokens]];
      return types.filter(([, v]) => typeof v === 'number').map(([tokenType, v]) => ({ day: day(bk), project: str(r.workspace_id, 'default'), model: str(r.model, 'unknown'), tokenType, tokens: v as number }));
    })),
  };
}

const at = getPath;

function parseDay(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return dayStart(v > 1e12 ? v / 1000 : v);
  if (typeof v === 'string') { const t = Date.parse(v); return Number.isNaN(t) ? null : dayStart(t / 1000); }
  return null;
}

/** An internal chargeback or cloud billing export: GET url?start_date=..., rows mapped by config. */
async function generic(b: BillingSource, now: number, signal: AbortSignal): Promise<BillingSnapshot> {
  const m = b.mapping as NonNullable<BillingSource['mapping']>;
  const headers: Record<string, string> = b.apiKey ? { authorization: `Bearer ${readSecret(b.apiKey)}` } : {};
  const costs: CostRow[] = [];
  let url: string | null = `${b.url}${b.url.includes('?') ? '&' : '?'}start_date=${new Date(windowStart(now) * 1000).toISOString().slice(0, 10)}`;
  for (let page = 0; url && page < 20; page++) {
    const body = parseJson((await requestOk(url, { signal, headers })).text, 'billing response');
    const items = at(body, m.items ?? 'data');
    if (!Array.isArray(items)) throw new SourceError('invalid_output', `billing response has no array at ${m.items ?? 'data'}`);
    for (const r of items) {
      const day = parseDay(at(r, m.day));
      // A number, or a numeric string (decimal amounts often come as strings); null or "" is no amount.
      const raw = at(r, m.amount);
      const amount = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (day === null || !Number.isFinite(amount)) throw new SourceError('invalid_output', `billing row without a day at ${m.day} or an amount at ${m.amount}`);
      costs.push({ day, project: str(at(r, m.project), 'default'), model: str(at(r, m.model), 'default'), lineItem: str(at(r, m.line_item), 'default'), usd: m.amount_unit === 'cents' ? amount / 100 : amount });
    }
    const next = at(body, m.next);
    url = typeof next === 'string' && next ? new URL(next, b.url).toString() : null;
    // The token goes to the configured host only: a next page elsewhere is refused, not followed.
    if (url && new URL(url).origin !== new URL(b.url).origin) throw new SourceError('invalid_output', `next page is on another host (${new URL(url).host}): not followed with the API key`);
  }
  return { costs, tokens: [] };
}

/**
 * A snapshot with a cost that is not a finite number, or a token count that is not a whole
 * number >= 0, is refused whole (the poll fails with invalid_output, the gauges keep the last
 * good values): NaN and negative token counts would otherwise be exposed as if they were spend.
 * Negative costs stay: billing APIs report credits and refunds that way.
 */
function checked(s: BillingSnapshot): BillingSnapshot {
  const cost = s.costs.find((r) => !Number.isFinite(r.usd));
  if (cost) throw new SourceError('invalid_output', `billing row with a cost that is not a number (${String(cost.usd)}) for ${cost.lineItem}`);
  const tokens = s.tokens.find((r) => !(Number.isSafeInteger(r.tokens) && r.tokens >= 0));
  if (tokens) throw new SourceError('invalid_output', `billing row with a token count that is not a whole number >= 0 (${String(tokens.tokens)}) for ${tokens.model}`);
  return s;
}

export async function pollBilling(b: BillingSource, now: number, signal: AbortSignal): Promise<BillingSnapshot> {
  if (b.provider === 'openai') return checked(await openai(b, now, signal));
  if (b.provider === 'anthropic') return checked(await anthropic(b, now, signal));
  return checked(await generic(b, now, signal));
}

/** Sums day rows into period totals by the given key. */
export function byPeriod<T extends { day: number }>(rows: readonly T[], now: number, key: (r: T) => string, value: (r: T) => number): Map<string, { period: Period; row: T; total: number }> {
  const out = new Map<string, { period: Period; row: T; total: number }>();
  for (const r of rows) {
    for (const period of periodsOf(r.day, now)) {
      const k = `${period}\u0000${key(r)}`;
      const cur = out.get(k);
      if (cur) cur.total += value(r);
      else out.set(k, { period, row: r, total: value(r) });
    }
  }
  return out;
}
