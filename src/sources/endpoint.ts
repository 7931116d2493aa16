// Readiness probes of a model endpoint, by protocol (APIS.md §4, §8). Readiness is judged by
// HTTP status; anything else is a typed SourceError.
import type { Endpoint } from '../config/index.js';
import { SourceError } from './errors.js';
import { parseJson, requestOk } from './http.js';
import { readSecret } from './secret.js';

export interface ProbeResult {
  /** Model version reported by the server, when the protocol tells it. */
  readonly version: string | null;
  readonly usage: { readonly input: number; readonly output: number } | null;
}

const authHeaders = (e: Endpoint): Record<string, string> => (e.apiKey ? { authorization: `Bearer ${readSecret(e.apiKey)}` } : {});

async function probeOip(e: Endpoint, signal: AbortSignal): Promise<ProbeResult> {
  const headers = authHeaders(e);
  const model = encodeURIComponent(e.modelName);
  await requestOk(`${e.url}/v2/health/ready`, { signal, headers });
  await requestOk(`${e.url}/v2/models/${model}/ready`, { signal, headers });
  const meta = parseJson((await requestOk(`${e.url}/v2/models/${model}`, { signal, headers })).text, 'model metadata');
  if (!meta || typeof meta !== 'object') throw new SourceError('invalid_output', 'model metadata is not an object');
  const versions = (meta as { versions?: unknown }).versions;
  const version = Array.isArray(versions) && versions.length ? String(versions[versions.length - 1]) : null;
  return { version, usage: null };
}

interface ChatCompletion {
  choices?: { message?: { content?: unknown }; finish_reason?: string }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

async function probeOpenAi(e: Endpoint, signal: AbortSignal): Promise<ProbeResult> {
  const headers = authHeaders(e);
  const list = parseJson((await requestOk(`${e.url}/v1/models`, { signal, headers })).text, 'model list') as { data?: { id?: string }[] };
  if (!Array.isArray(list?.data)) throw new SourceError('invalid_output', '/v1/models has no data array');
  if (!list.data.some((m) => m.id === e.modelName)) throw new SourceError('invalid_output', `/v1/models does not list ${e.modelName}`);
  const body = { model: e.modelName, messages: [{ role: 'user', content: 'Reply with the single word: ok' }], max_tokens: 5, temperature: 0 };
  const completion = parseJson((await requestOk(`${e.url}/v1/chat/completions`, { method: 'POST', signal, headers, body })).text, 'chat completion') as ChatCompletion;
  const choice = completion?.choices?.[0];
  if (!choice) throw new SourceError('invalid_output', 'chat completion has no choices');
  if (choice.finish_reason === 'content_filter') throw new SourceError('refusal', 'canary completion was filtered');
  if (typeof choice.message?.content !== 'string' || !choice.message.content.trim()) throw new SourceError('empty_output', 'canary completion is empty');
  const u = completion.usage;
  // Token counts are counts: anything else (negative, fractional, a string) says nothing about
  // readiness, so the usage is left out rather than fed to a counter or failing the probe.
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
  const input = count(u?.prompt_tokens ?? 0);
  const output = count(u?.completion_tokens ?? 0);
  return { version: null, usage: u && input !== null && output !== null ? { input, output } : null };
}

async function probeHttp(e: Endpoint, signal: AbortSignal): Promise<ProbeResult> {
  await requestOk(`${e.url}${e.healthPath}`, { signal, headers: authHeaders(e) });
  return { version: null, usage: null };
}

export function probeEndpoint(e: Endpoint, signal: AbortSignal): Promise<ProbeResult> {
  switch (e.protocol) {
    case 'oip_v2': return probeOip(e, signal);
    case 'openai': return probeOpenAi(e, signal);
    case 'http': return probeHttp(e, signal);
  }
}
