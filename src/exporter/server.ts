// HTTP surface: /, /metrics (negotiated, gzip when accepted, served from cache), /healthz, /readyz.
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { CONTENT_TYPES, negotiate, type Exposition } from './exposition.js';

const LANDING = `<!doctype html>
<html><head><meta charset="utf-8"><title>modelwatch</title></head>
<body><h1>modelwatch</h1>
<p>Prometheus exporter for ML and LLM models. Values are polled in the background; scrapes read a cache.</p>
<ul><li><a href="metrics">/metrics</a></li><li><a href="healthz">/healthz</a></li><li><a href="readyz">/readyz</a></li></ul>
</body></html>`;

export function createApp(exposition: () => Exposition, isReady: () => boolean, onReload?: () => Promise<boolean>, auth?: RequestHandler, onError?: (err: unknown) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  // Probes come before authentication: a kubelet or a compose healthcheck has no password to
  // send, and these two answers reveal nothing. TLS, when configured, still applies to them.
  app.get('/healthz', (_req, res) => void res.type('text').send('ok\n'));
  // Ready = /metrics can be served from the last known state. A slow or failing source shows in
  // modelwatch_source_* series, never here: a pod must not leave its Service for an hour-long
  // billing poll.
  app.get('/readyz', (_req, res) => void (isReady() ? res.type('text').send('ready\n') : res.status(503).type('text').send('not ready: the first exposition is not rendered yet\n')));
  if (auth) app.use(auth);
  app.get('/', (_req, res) => void res.type('html').send(LANDING));
  app.get('/metrics', async (req, res) => {
    const format = negotiate(req.get('accept'));
    const gzipped = /\bgzip\b/.test(req.get('accept-encoding') ?? '');
    const body = await exposition().get(format, gzipped);
    res.status(200).set({ 'content-type': CONTENT_TYPES[format], vary: 'Accept, Accept-Encoding', 'cache-control': 'no-store' });
    if (gzipped) res.set('content-encoding', 'gzip');
    res.end(body);
  });
  app.post('/-/reload', async (_req, res) => {
    if (!onReload) return void res.status(404).type('text').send('reload is not enabled: start with --web.enable-lifecycle, or send SIGHUP\n');
    const ok = await onReload();
    res.status(ok ? 200 : 500).type('text').send(ok ? 'reloaded\n' : 'reload failed: the running config is kept; see the logs\n');
  });
  // Never an HTML page with a stack trace: a short text, the details in the log. Express tells
  // an error handler by its four parameters, so `_next` stays although unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    onError?.(err);
    if (!res.headersSent) res.status(500).type('text').send('internal error; see the exporter log\n');
  });
  return app;
}
