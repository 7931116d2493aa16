// Billing APIs following APIS.md §1 (OpenAI Costs/Usage) and §2 (Anthropic cost/usage reports):
// pagination by has_more/next_page, day buckets, OpenAI dollars and Anthropic cent strings.
import { json, startFake, type FakeServer } from './http.js';

const DAY = 86400;
export const today = () => Math.floor(Date.now() / 1000 / DAY) * DAY;

/** Costs per day offset (0 = today) in dollars; mutate to revise a bucket between polls. */
export interface Ledger { costs: Record<number, number>; tokens: Record<number, { input: number; output: number }> }

export function startOpenAiBilling(ledger: Ledger, key: string): Promise<FakeServer> {
  return startFake((req, _body, res) => {
    if (req.headers.authorization !== `Bearer ${key}`) return json(res, 401, { error: { message: 'invalid admin key' } });
    const url = new URL(req.url ?? '/', 'http://x');
    const page = url.searchParams.get('page');
    const bucket = (offset: number, results: unknown[]) => ({ object: 'bucket', start_time: today() - offset * DAY, end_time: today() - offset * DAY + DAY, results });
    const days = Object.keys(url.pathname.endsWith('/costs') ? ledger.costs : ledger.tokens).map(Number).sort((a, b) => b - a);
    // Two pages: the older half of the days first, then the rest.
    const half = Math.ceil(days.length / 2);
    const mine = page === 'p2' ? days.slice(half) : days.slice(0, half);
    const data = mine.map((d) => url.pathname.endsWith('/costs')
      ? bucket(d, [{ object: 'organization.costs.result', amount: { value: ledger.costs[d], currency: 'usd' }, line_item: 'gpt-4.1-mini, input', project_id: 'proj_support' }])
      : bucket(d, [{ object: 'organization.usage.completions.result', input_tokens: ledger.tokens[d]?.input, output_tokens: ledger.tokens[d]?.output, input_cached_tokens: 0, num_model_requests: 10, project_id: 'proj_support', model: 'gpt-4.1-mini' }]));
    json(res, 200, { object: 'page', data, has_more: page !== 'p2', next_page: page === 'p2' ? null : 'p2' });
  });
}

export function startAnthropicBilling(ledger: Ledger, key: string): Promise<FakeServer> {
  return startFake((req, _body, res) => {
    if (req.headers['x-api-key'] !== key || req.headers['anthropic-version'] !== '2023-06-01') return json(res, 401, { type: 'error', error: { type: 'authentication_error' } });
    const url = new URL(req.url ?? '/', 'http://x');
    const iso = (offset: number) => new Date((today() - offset * DAY) * 1000).toISOString();
    const cost = url.pathname.endsWith('/cost_report');
    const days = Object.keys(cost ? ledger.costs : ledger.tokens).map(Number);
    const data = days.map((d) => ({
      starting_at: iso(d), ending_at: iso(d - 1),
      results: cost
        ? [{ amount: String(((ledger.costs[d] ?? 0) * 100).toFixed(4)), currency: 'USD', cost_type: 'tokens', description: 'Claude Sonnet input', model: 'claude-sonnet', workspace_id: 'wrkspc_a', token_type: 'uncached_input_tokens' }]
        : [{ model: 'claude-sonnet', workspace_id: 'wrkspc_a', uncached_input_tokens: ledger.tokens[d]?.input, cache_read_input_tokens: 0, cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 }, output_tokens: ledger.tokens[d]?.output }],
    }));
    json(res, 200, { data, has_more: false, next_page: null });
  });
}
