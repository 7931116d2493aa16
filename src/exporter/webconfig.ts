// /metrics security in the Prometheus exporter-toolkit web config format:
//   tls_server_config: {cert_file, key_file, client_ca_file, client_auth_type, min_version}
//   basic_auth_users: {user: bcrypt hash}
// Passwords are checked with bcrypt in a worker thread (passwords.ts), against a dummy hash of
// the configured cost for unknown users (timing reveals nothing), successes are cached (bcrypt
// is slow on purpose), and the file is re-read when it changes, certificates included.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RequestHandler } from 'express';
import { parse as parseYaml } from 'yaml';
import { bcryptCost, FailureBudget, type PasswordChecker } from './passwords.js';

export interface WebConfig {
  readonly tls: { cert: Buffer; key: Buffer; ca?: Buffer; requestCert: boolean; minVersion: 'TLSv1.2' | 'TLSv1.3' } | null;
  readonly users: ReadonlyMap<string, string>;
}

const TLS_VERSIONS: Record<string, 'TLSv1.2' | 'TLSv1.3'> = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

export function readWebConfig(path: string): WebConfig {
  const raw = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as { tls_server_config?: Record<string, string>; basic_auth_users?: Record<string, string> };
  const at = (f: string) => readFileSync(resolve(dirname(path), f));
  const t = raw.tls_server_config;
  if (t && (!t.cert_file || !t.key_file)) throw new Error(`${path}: tls_server_config needs cert_file and key_file`);
  const minVersion = TLS_VERSIONS[t?.min_version ?? 'TLS12'];
  if (!minVersion) throw new Error(`${path}: min_version must be TLS12 or TLS13`);
  for (const [user, hash] of Object.entries(raw.basic_auth_users ?? {})) {
    if (!/^\$2[aby]\$\d\d\$/.test(String(hash))) throw new Error(`${path}: basic_auth_users.${user} is not a bcrypt hash`);
  }
  return {
    tls: t ? { cert: at(t.cert_file as string), key: at(t.key_file as string), ...(t.client_ca_file ? { ca: at(t.client_ca_file) } : {}), requestCert: t.client_auth_type === 'RequireAndVerifyClientCert', minVersion } : null,
    users: new Map(Object.entries(raw.basic_auth_users ?? {})),
  };
}

/** Re-reads the file when its modification time changes (checked at most once a second). */
export class WebConfigWatcher {
  private mtime = 0;
  private checked = 0;
  config: WebConfig;

  constructor(private readonly path: string, private readonly onChange: (c: WebConfig) => void = () => undefined) {
    this.config = readWebConfig(path);
    this.mtime = statSync(path).mtimeMs;
  }

  current(): WebConfig {
    const now = Date.now();
    if (now - this.checked < 1000) return this.config;
    this.checked = now;
    try {
      const m = statSync(this.path).mtimeMs;
      if (m !== this.mtime) {
        this.config = readWebConfig(this.path);
        this.mtime = m;
        this.onChange(this.config);
      }
    } catch {
      // A broken edit keeps the last good config, as Prometheus does on reload.
    }
    return this.config;
  }
}

export interface AuthOptions {
  readonly checker: PasswordChecker;
  readonly budget?: FailureBudget;
  /** Called for every refused request, by reason (a metric). */
  readonly onRefused?: (reason: 'bad_credentials' | 'throttled' | 'busy') => void;
  /**
   * A refusal is answered after this delay (default 1 s), costing the exporter nothing but
   * a timer: a client that waits for each answer, as a password guesser does, is slowed to one
   * request a second instead of thousands. Prometheus, once authenticated, never waits.
   */
  readonly refusalDelayMs?: number;
}

export function basicAuth(watcher: WebConfigWatcher, o: AuthOptions): RequestHandler {
  const cache = new Map<string, boolean>();
  const budget = o.budget ?? new FailureBudget();
  const delay = o.refusalDelayMs ?? 1000;
  const refuse = (res: Parameters<RequestHandler>[1], reason: 'bad_credentials' | 'throttled' | 'busy', retryAfter?: number) => {
    o.onRefused?.(reason);
    if (delay > 0) return void setTimeout(() => answer(res, reason, retryAfter), delay).unref();
    answer(res, reason, retryAfter);
  };
  const answer = (res: Parameters<RequestHandler>[1], reason: 'bad_credentials' | 'throttled' | 'busy', retryAfter?: number) => {
    if (res.writableEnded || res.destroyed) return;
    if (reason === 'bad_credentials') return void res.status(401).set('www-authenticate', 'Basic realm="modelwatch"').type('text').send('unauthorized\n');
    res.status(reason === 'busy' ? 503 : 429).set({ 'retry-after': String(retryAfter ?? 1), 'www-authenticate': 'Basic realm="modelwatch"' }).type('text').send(reason === 'busy' ? 'busy checking passwords, retry\n' : 'too many failed logins from this address, retry later\n');
  };
  return (req, res, next) => {
    const users = watcher.current().users;
    if (users.size === 0) return next();
    const header = req.get('authorization') ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    const user = sep >= 0 ? decoded.slice(0, sep) : '';
    const password = sep >= 0 ? decoded.slice(sep + 1) : '';
    const hash = users.get(user);
    const key = createHash('sha256').update(`${user}\u0000${password}\u0000${hash ?? ''}`).digest('hex');
    // Prometheus sends the same credentials every scrape: after the first check, no bcrypt.
    if (cache.get(key) === true) return next();
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = budget.retryAfter(address);
    if (wait > 0) return refuse(res, 'throttled', wait);
    const cost = Math.max(...[...users.values()].map(bcryptCost));
    void o.checker.check(password, hash ?? null, cost).then((verdict) => {
      if (verdict === 'ok') {
        if (cache.size > 1000) cache.clear();
        cache.set(key, true);
        return next();
      }
      if (verdict === 'bad_credentials') budget.fail(address);
      refuse(res, verdict);
    }, next);
  };
}
