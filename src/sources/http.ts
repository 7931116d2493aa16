// HTTP for pollers: hard timeout via the caller's AbortSignal, a response size cap applied to
// the decompressed body while streaming, Retry-After parsed, every failure a typed SourceError.
import { SourceError } from './errors.js';

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly signal: AbortSignal;
  readonly maxBytes?: number;
}

export interface HttpResponse { readonly status: number; readonly text: string; readonly headers: Headers }

/** Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function classifyNetworkError(e: unknown, signal: AbortSignal): SourceError {
  if (signal.aborted) return new SourceError('timeout', 'request timed out', undefined, { cause: e });
  const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  if (code === 'ECONNREFUSED') return new SourceError('connection_refused', 'connection refused', undefined, { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SourceError('unreachable', `host unreachable (${code})`, undefined, { cause: e });
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new SourceError('server_error', 'connection reset', undefined, { cause: e });
  return new SourceError('other', (e as Error).message, undefined, { cause: e });
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new SourceError('too_large', `response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * Follows redirects itself: fetch strips only Authorization on a cross-origin redirect, so an
 * x-api-key (Anthropic) or any other credential header would reach whatever host a redirect
 * names. Across origins, no caller header is sent on; within the origin, all are.
 */
async function fetchFollowing(url: string, req: HttpRequest): Promise<Response> {
  const origin = new URL(url).origin;
  let target = url;
  let method = req.method ?? 'GET';
  let body = req.body === undefined ? undefined : JSON.stringify(req.body);
  for (let hop = 0; ; hop++) {
    const sameOrigin = new URL(target).origin === origin;
    const res = await fetch(target, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(sameOrigin ? req.headers : {}) },
      body,
      signal: req.signal,
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || !location) return res;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new SourceError('client_error', `more than ${MAX_REDIRECTS} redirects`);
    target = new URL(location, target).toString();
    // As fetch does: 303, and 301/302 after a POST, continue as a GET without a body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

export async function request(url: string, req: HttpRequest): Promise<HttpResponse> {
  let res: Response;
  try {
    res = await fetchFollowing(url, req);
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw classifyNetworkError(e, req.signal);
  }
  let text: string;
  try {
    text = await readCapped(res, req.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw classifyNetworkError(e, req.signal);
  }
  return { status: res.status, text, headers: res.headers };
}

/** A request that must answer 2xx: other statuses become typed failures. */
export async function requestOk(url: string, req: HttpRequest, nowMs = Date.now()): Promise<HttpResponse> {
  const res = await request(url, req);
  if (res.status >= 200 && res.status < 300) return res;
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'), nowMs);
  if (res.status === 429) throw new SourceError('rate_limited', `HTTP 429 from ${new URL(url).pathname}`, retryAfter);
  if (res.status >= 500) throw new SourceError('server_error', `HTTP ${res.status} from ${new URL(url).pathname}`, retryAfter);
  throw new SourceError('client_error', `HTTP ${res.status} from ${new URL(url).pathname}`);
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SourceError('malformed_body', `${what}: body is not JSON`);
  }
}
