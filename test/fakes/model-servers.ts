// Model servers that follow the documented shapes (APIS.md §4 Open Inference Protocol v2,
// §8 OpenAI-compatible), plus servers that misbehave in one specific way each.
import { json, startFake, type FakeServer } from './http.js';

/** OIP v2 server for one model; the model answers "fraud" when amount > 1000, else "legit". */
export function startOipServer(model: string, versions: string[]): Promise<FakeServer> {
  return startFake((req, body, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && (path === '/v2/health/ready' || path === '/v2/health/live')) return json(res, 200, { ready: true });
    if (req.method === 'GET' && path === `/v2/models/${model}/ready`) return json(res, 200, { name: model, ready: true });
    if (req.method === 'GET' && path === `/v2/models/${model}`) {
      return json(res, 200, { name: model, versions, platform: 'onnxruntime_onnx', inputs: [{ name: 'amount', datatype: 'FP32', shape: [1] }], outputs: [{ name: 'label', datatype: 'BYTES', shape: [1] }] });
    }
    if (req.method === 'POST' && path === `/v2/models/${model}/infer`) {
      const request = JSON.parse(body) as { id?: string; inputs: { name: string; data: number[] }[] };
      const amount = request.inputs.find((i) => i.name === 'amount')?.data[0];
      if (amount === undefined) return json(res, 400, { error: 'unexpected inference request: missing input "amount"' });
      return json(res, 200, { model_name: model, model_version: versions.at(-1), id: request.id ?? '1', outputs: [{ name: 'label', shape: [1], datatype: 'BYTES', data: [amount > 1000 ? 'fraud' : 'legit'] }] });
    }
    json(res, 400, { error: `unknown path ${path}` });
  });
}

/** Authorization headers the OpenAI-compatible fakes received (secrets must reach the API, and only it). */
export const authorizations: string[] = [];

/** OpenAI-compatible server; answers "ok" to the canary, and a fixed reply to anything else. */
export function startOpenAiServer(model: string, reply = 'You can reset your password under Settings.'): Promise<FakeServer> {
  return startFake((req, body, res) => {
    authorizations.push(req.headers.authorization ?? '');
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 1700000000, owned_by: 'modelwatch-test' }] });
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const r = JSON.parse(body) as { model: string; messages: { content: string }[] };
      const canary = r.messages.at(-1)?.content.includes('single word');
      return json(res, 200, {
        id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: r.model,
        choices: [{ index: 0, message: { role: 'assistant', content: canary ? 'ok' : reply }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: canary ? 1 : 9, total_tokens: canary ? 13 : 21 },
      });
    }
    json(res, 404, { error: { message: 'not found' } });
  });
}

export const FAULTS = {
  /** Every request fails with 500. */
  serverError: () => startFake((_req, _body, res) => json(res, 500, { error: 'boom' })),
  /** Every request is rate limited for two minutes. */
  rateLimited: () => startFake((_req, _body, res) => json(res, 429, { error: 'slow down' }, { 'retry-after': '120' })),
  /** 200 with a body that is not JSON. */
  malformed: () => startFake((_req, _body, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ready": tru'); }),
  /** Accepts the request and never answers. */
  hanging: () => startFake(() => undefined),
  /** A 100 MB body, streamed in 1 MiB chunks until the client gives up. */
  huge: () => startFake((_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 100 && !res.destroyed) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }),
};
