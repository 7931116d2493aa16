// Golden sets: a JSONL file of {id, input, expected} sent to the live endpoint on a schedule.
// Each run takes the next `maxCases` cases in turn (so every case runs regularly) one at a time,
// so a golden run never floods the model.
import { readFileSync } from 'node:fs';
import type { Endpoint } from '../../config/index.js';
import { SourceError } from '../errors.js';
import { parseJson, requestOk } from '../http.js';
import { readSecret } from '../secret.js';
import { score, type Scorer } from './scorers.js';

export interface GoldenCase { readonly id: string; readonly input: unknown; readonly expected: unknown }
export type Outcome = 'pass' | 'fail' | 'error';
export interface CaseResult { readonly id: string; readonly outcome: Outcome; readonly seconds: number; readonly detail: string }

export function loadGoldenSet(path: string): GoldenCase[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SourceError('other', `cannot read golden set ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return text.split('\n').filter((l) => l.trim()).map((line, i) => {
    const c = parseJson(line, `golden set ${path} line ${i + 1}`) as Partial<GoldenCase>;
    if (!c || typeof c !== 'object' || !('input' in c) || !('expected' in c)) throw new SourceError('invalid_output', `golden set ${path} line ${i + 1} needs input and expected`);
    return { id: String(c.id ?? i + 1), input: c.input, expected: c.expected };
  });
}

/** The answer of the endpoint to one input, by protocol. */
async function ask(e: Endpoint, input: unknown, signal: AbortSignal): Promise<unknown> {
  const headers = e.apiKey ? { authorization: `Bearer ${readSecret(e.apiKey)}` } : undefined;
  if (e.protocol === 'oip_v2') {
    const body = Array.isArray(input) ? { inputs: input } : input;
    const res = parseJson((await requestOk(`${e.url}/v2/models/${encodeURIComponent(e.modelName)}/infer`, { method: 'POST', body, signal, headers })).text, 'inference') as { outputs?: { data?: unknown[] }[] };
    const data = res?.outputs?.[0]?.data;
    if (!Array.isArray(data) || !data.length) throw new SourceError('empty_output', 'inference response has no output data');
    return data[0];
  }
  if (e.protocol === 'openai') {
    const messages = typeof input === 'string' ? [{ role: 'user', content: input }] : input;
    const res = parseJson((await requestOk(`${e.url}/v1/chat/completions`, { method: 'POST', body: { model: e.modelName, messages, temperature: 0 }, signal, headers })).text, 'chat completion') as { choices?: { message?: { content?: unknown }; finish_reason?: string }[] };
    const choice = res?.choices?.[0];
    if (choice?.finish_reason === 'content_filter') throw new SourceError('refusal', 'answer was filtered');
    if (typeof choice?.message?.content !== 'string' || !choice.message.content) throw new SourceError('empty_output', 'empty answer');
    return choice.message.content;
  }
  const res = parseJson((await requestOk(`${e.url}/predict`, { method: 'POST', body: input, signal, headers })).text, 'prediction') as { prediction?: unknown };
  return res && typeof res === 'object' && 'prediction' in res ? res.prediction : res;
}

export interface GoldenRunner { run(signal: AbortSignal): Promise<CaseResult[]> }

export function goldenRunner(e: Endpoint, spec: { path: string; scorer: string; tolerance: number }, maxCases = 50, clock = () => performance.now()): GoldenRunner {
  let offset = 0;
  return {
    async run(signal) {
      const cases = loadGoldenSet(spec.path);
      const batch = Array.from({ length: Math.min(maxCases, cases.length) }, (_, i) => cases[(offset + i) % cases.length] as GoldenCase);
      offset = (offset + batch.length) % Math.max(1, cases.length);
      const results: CaseResult[] = [];
      for (const c of batch) {
        if (signal.aborted) break;
        const start = clock();
        try {
          const s = score(spec.scorer as Scorer, await ask(e, c.input, signal), c.expected, spec.tolerance);
          results.push({ id: c.id, outcome: s.pass ? 'pass' : 'fail', seconds: (clock() - start) / 1000, detail: s.pass ? '' : s.why });
        } catch (err) {
          // A rate limit or an outage ends the run: the remaining cases would only add load.
          if (err instanceof SourceError && ['rate_limited', 'timeout', 'connection_refused'].includes(err.reason)) throw err;
          results.push({ id: c.id, outcome: 'error', seconds: (clock() - start) / 1000, detail: err instanceof SourceError ? err.reason : 'other' });
        }
      }
      return results;
    },
  };
}
