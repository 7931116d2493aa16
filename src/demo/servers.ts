// The demo's stand-ins for real services, following the documented shapes (APIS.md): an Open
// Inference Protocol v2 model server, an OpenAI-compatible chat endpoint, and the OpenAI
// Costs/Usage API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Timeline } from './timeline.js';
import { FRAUD_VERSION, Workload } from './workload.js';

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** An engine's /metrics answer in the Prometheus text format. */
const sendMetrics = (res: ServerResponse, text: string) => {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  res.end(text);
};

export interface DemoServer { readonly url: string; close(): Promise<void> }

/** Listens on `port` (0: any free one); a port already taken falls back to any free one. */
async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void, host: string, port = 0): Promise<DemoServer & { wanted: boolean }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => handler(req, body, res));
  });
  const listen = (p: number) => new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(p, host, () => resolve(true));
  });
  const wanted = port !== 0 && await listen(port);
  if (!wanted) await listen(0);
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { url: `http://${shown}:${bound}`, wanted: port === 0 || wanted, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** A server answering only /metrics, with the text `metrics()` gives at each scrape. */
export function metricsServer(metrics: () => string, host: string, port: number): Promise<DemoServer & { wanted: boolean }> {
  return serve((req, _body, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') return send(res, 404, { error: 'not found' });
    sendMetrics(res, metrics());
  }, host, port);
}

export function oipServer(model: string, timeline: Timeline, host: string): Promise<DemoServer> {
  return serve((req, body, res) => {
    const path = (req.url ?? '').split('?')[0];
    const down = timeline.active('endpoint_down');
    if (path === '/v2/health/ready' || path === `/v2/models/${model}/ready`) return down ? send(res, 503, { error: 'model not ready' }) : send(res, 200, { ready: true });
    if (path === `/v2/models/${model}`) return send(res, 200, { name: model, versions: [FRAUD_VERSION], platform: 'onnxruntime_onnx', inputs: [{ name: 'amount', datatype: 'FP32', shape: [1] }, { name: 'account_age_days', datatype: 'INT64', shape: [1] }], outputs: [{ name: 'label', datatype: 'BYTES', shape: [1] }] });
    if (path === `/v2/models/${model}/infer` && req.method === 'POST') {
      try {
        const r = JSON.parse(body) as { inputs: { name: string; data: number[] }[] };
        const get = (n: string) => r.inputs.find((i) => i.name === n)?.data[0] ?? null;
        const score = Workload.score({ amount: get('amount'), account_age_days: get('account_age_days'), merchant_category: 'other', country: 'GB' });
        return send(res, 200, { model_name: model, model_version: FRAUD_VERSION, outputs: [{ name: 'label', shape: [1], datatype: 'BYTES', data: [score > 0.5 ? 'fraud' : 'legit'] }] });
      } catch {
        return send(res, 400, { error: 'malformed inference request' });
      }
    }
    send(res, 404, { error: `unknown path ${path}` });
  }, host);
}

/** An OpenAI-compatible server; with `metrics`, also the engine's own /metrics (vLLM serves both on one port). */
export function chatServer(model: string, host: string, engine?: { metrics: () => string; port: number }): Promise<DemoServer & { wanted: boolean }> {
  return serve((req, body, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (engine && path === '/metrics') return sendMetrics(res, engine.metrics());
    if (path === '/v1/models') return send(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 1760000000, owned_by: 'demo' }] });
    if (path === '/v1/chat/completions' && req.method === 'POST') {
      const r = JSON.parse(body || '{}') as { messages?: { content?: string }[] };
      const question = r.messages?.at(-1)?.content ?? '';
      const answer = /single word/.test(question) ? 'ok' : 'You can reset your password under Settings > Security.';
      return send(res, 200, { id: 'chatcmpl-demo', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }], usage: { prompt_tokens: 14, completion_tokens: answer.split(' ').length, total_tokens: 14 + answer.split(' ').length } });
    }
    send(res, 404, { error: { message: 'not found' } });
  }, host, engine?.port ?? 0);
}

/**
 * OpenAI Costs/Usage API, consistent with the logs: before the demo started, days at the calm
 * spend (within ±5 %); since, the spend the workload logged. The bill and the estimate agree.
 */
export function billingServer(workload: Workload, key: string, host: string): Promise<DemoServer> {
  const started = Date.now() / 1000;
  const firstDay = Math.floor(started / 86400) * 86400;
  const calmDay = Workload.CALM_USD_PER_SECOND * 86400;
  const before = (d: number) => (d < firstDay ? calmDay * (0.95 + ((d / 86400) % 7) / 60) : d === firstDay ? Workload.CALM_USD_PER_SECOND * (started - firstDay) : 0);
  return serve((req, _body, res) => {
    if (req.headers.authorization !== `Bearer ${key}`) return send(res, 401, { error: { message: 'invalid admin key' } });
    const url = new URL(req.url ?? '/', 'http://demo');
    const start = Number(url.searchParams.get('start_time') ?? 0);
    const today = Math.floor(Date.now() / 86_400_000) * 86400;
    const days: number[] = [];
    for (let d = Math.floor(start / 86400) * 86400; d <= today; d += 86400) days.push(d);
    const usd = (d: number) => before(d) + (workload.spend.get(d) ?? 0);
    const data = days.map((d) => ({
      object: 'bucket', start_time: d, end_time: d + 86400,
      results: url.pathname.endsWith('/costs')
        ? [{ object: 'organization.costs.result', amount: { value: Math.round(usd(d) * 100) / 100, currency: 'usd' }, line_item: 'gpt-4.1-mini, input', project_id: 'proj_support' }]
        : [{ object: 'organization.usage.completions.result', input_tokens: Math.round(usd(d) * 2e6), output_tokens: Math.round(usd(d) * 2e5), input_cached_tokens: 0, num_model_requests: 1000, project_id: 'proj_support', model: 'gpt-4.1-mini' }],
    }));
    send(res, 200, { object: 'page', data, has_more: false, next_page: null });
  }, host);
}
