// Runs a generated docker-compose.yml the way Docker would, as far as a machine without a Docker
// engine allows: each service's entrypoint + command on the matching real binary, its bind
// mounts, named volumes and secrets mapped onto a temporary root, its published port moved to a
// free loopback port, and its healthcheck run with only the tools its image ships.
//
// Each process runs in a mount namespace of its own (unshare -m, as root) where every volume and
// secret is bind-mounted at its container path, so paths need no rewriting, defaults included
// (state_dir). What the compose network would resolve is rewritten: `service:port` in the
// arguments and in the configs mounted under /etc becomes the service's loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, resolve } from 'node:path';
import yaml from 'js-yaml';
import { HOST_TOOL, imageSpec } from './images.js';
import { freePort, sleep } from '../tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Service {
  readonly name: string;
  readonly port: number;
  readonly containerPort: number;
  readonly healthcheck: readonly string[];
  readonly child: ChildProcess | null;
  log(): string;
  /** Starts the service again (its volumes keep their content, as with `docker compose restart`). */
  launch(): void;
}

export interface Stack {
  readonly services: ReadonlyMap<string, Service>;
  healthy(name: string): boolean;
  waitHealthy(name: string, timeoutMs: number): Promise<void>;
  stop(name?: string): Promise<void>;
  restart(name: string): Promise<void>;
}

const REPO = resolve('.');


function rewriteTree(dir: string, replace: (text: string) => string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) rewriteTree(path, replace);
    else if (/\.ya?ml$/.test(entry)) writeFileSync(path, replace(readFileSync(path, 'utf8')));
  }
}

export interface RunOptions {
  /** Services not to start (their ports are still allocated, so nothing else answers there). */
  readonly skip?: readonly string[];
  /** The host environment compose would pass through (only names the service lists reach it). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra arguments appended to a service's command (fast test intervals). */
  readonly extraArgs?: Readonly<Record<string, readonly string[]>>;
}

export async function runCompose(bundle: string, root: string, o: RunOptions = {}): Promise<Stack> {
  const compose = yaml.load(readFileSync(join(bundle, 'docker-compose.yml'), 'utf8')) as Json;
  const entries = Object.entries(compose.services as Record<string, Json>);
  const ports = new Map<string, { container: number; host: number }>();
  for (const [name, s] of entries) {
    const published = String((s.ports as string[] | undefined)?.[0] ?? '');
    const container = Number(published.split(':').pop());
    ports.set(name, { container, host: await freePort() });
  }
  // The compose network: service:port and, inside a container, localhost:port of its own service.
  const network = (text: string, self: string) => {
    let out = text;
    for (const [name, p] of ports) out = out.split(`${name}:${p.container}`).join(`127.0.0.1:${p.host}`);
    const own = ports.get(self);
    if (own) out = out.split(`localhost:${own.container}`).join(`127.0.0.1:${own.host}`).split(`127.0.0.1:${own.container}/`).join(`127.0.0.1:${own.host}/`);
    return out;
  };

  const services = new Map<string, Service>();
  for (const [name, s] of entries) {
    const spec = imageSpec(String(s.image));
    const test = (s.healthcheck?.test ?? []) as string[];
    if (test[0] !== 'CMD') throw new Error(`${name}: healthcheck must be an exec-form CMD, got ${test[0]}`);
    if (!spec.tools.includes(test[1] as string)) throw new Error(`${name}: healthcheck runs ${test[1]}, which ${s.image} does not ship (it has ${spec.tools.join(', ')})`);
    if (!spec.entrypoint) continue;

    const base = join(root, name);
    mkdirSync(base, { recursive: true });
    const mounts: { container: string; host: string; ro: boolean }[] = [];
    for (const v of (s.volumes ?? []) as string[]) {
      const [src, dst, mode] = v.split(':') as [string, string, string?];
      let host: string;
      if (!src.startsWith('.') && !isAbsolute(src)) {
        host = join(root, 'volumes', src);
        mkdirSync(host, { recursive: true });
      } else {
        host = resolve(bundle, src);
        if (dst.startsWith('/etc/') && existsSync(host)) {
          // A config the binary reads: copied so the compose network's names can be rewritten.
          const copy = join(base, 'mnt', dst);
          mkdirSync(dirname(copy), { recursive: true });
          cpSync(host, copy, { recursive: true });
          if (statSync(copy).isDirectory()) rewriteTree(copy, (t) => network(t, name));
          else writeFileSync(copy, network(readFileSync(copy, 'utf8'), name));
          host = copy;
        }
      }
      mounts.push({ container: dst, host, ro: mode === 'ro' });
    }
    for (const secret of (s.secrets ?? []) as string[]) {
      const file = compose.secrets?.[secret]?.file as string | undefined;
      if (!file) throw new Error(`${name}: secret ${secret} is not defined at the top level`);
      mounts.push({ container: posix.join('/run/secrets', secret), host: resolve(bundle, file), ro: true });
    }
    if (spec.entrypoint[0] === 'node') mounts.push({ container: spec.workdir, host: REPO, ro: true });
    // Parents before children, as Docker mounts them.
    mounts.sort((a, b) => a.container.length - b.container.length);

    const port = ports.get(name) as { container: number; host: number };
    const listen = spec.entrypoint[0] === 'node' ? ['--listen', '127.0.0.1', '--port', String(port.host)] : [`--web.listen-address=127.0.0.1:${port.host}`];
    const command = ((s.command ?? []) as string[]).map((a) => network(a, name));
    const binary = spec.entrypoint[0] === 'node' ? process.execPath : (spec.entrypoint[0] as string);
    const args = [...spec.entrypoint.slice(1), ...command, ...listen, ...(o.extraArgs?.[name] ?? [])];
    // Only the variables the service lists reach it, as with compose's `environment: [NAME]`.
    const passed = Object.fromEntries(((Array.isArray(s.environment) ? s.environment : []) as string[]).flatMap((k) => (o.env?.[k] !== undefined ? [[k, o.env[k]]] : [])));
    const healthcheck = [...(HOST_TOOL[test[1] as string] ?? [test[1] as string]), ...test.slice(2).map((a) => network(a, name))];

    const service: Service & { child: ChildProcess | null; launch(): void } = {
      name, port: port.host, containerPort: port.container, healthcheck, child: null, log: () => log,
      launch() {
        service.child = launch();
      },
    };
    let log = '';
    const launch = (): ChildProcess => {
      // The container's file system, as far as it matters: in a mount namespace of its own, the
      // image's own directories start empty (a new container each launch), each volume and
      // secret is bind-mounted at its container path (read-only where compose says :ro), and an
      // image without zoneinfo gets an empty /usr/share/zoneinfo.
      const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
      const steps = ['set -e', ...spec.ownDirs.map((d) => `mkdir -p ${q(d)} && mount -t tmpfs none ${q(d)}`), ...mounts.map((m) => {
        const target = q(m.container);
        const make = statSync(m.host).isDirectory() ? `mkdir -p ${target}` : `mkdir -p ${q(posix.dirname(m.container))} && { [ -e ${target} ] || touch ${target}; }`;
        return `${make} && mount --bind ${q(m.host)} ${target}${m.ro ? ` && mount -o remount,bind,ro ${target}` : ''}`;
      }), ...(spec.zoneinfo ? [] : ['mount -t tmpfs none /usr/share/zoneinfo']), `cd ${q(spec.workdir)}`, 'exec "$@"'];
      const child = spawn('unshare', ['-m', 'sh', '-c', steps.join('\n'), 'sh', binary, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', MODELWATCH_LOG_LEVEL: 'warn', ...passed },
      });
      const keep = (c: Buffer) => { log = (log + c.toString()).slice(-8000); };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      return child;
    };
    if (!o.skip?.includes(name)) service.launch();
    services.set(name, service);
  }

  const healthy = (name: string) => {
    const s = services.get(name);
    if (!s) throw new Error(`service ${name} does not run here`);
    const [cmd, ...args] = s.healthcheck as [string, ...string[]];
    return spawnSync(cmd, args, { timeout: 5000, env: { PATH: process.env.PATH ?? '' } }).status === 0;
  };
  const stack: Stack = {
    services,
    healthy,
    async waitHealthy(name, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (healthy(name)) return;
        const s = services.get(name);
        if (s?.child && s.child.exitCode !== null) throw new Error(`${name} exited ${s.child.exitCode}: ${s.log()}`);
        await sleep(300);
      }
      throw new Error(`${name} never turned healthy: ${services.get(name)?.log()}`);
    },
    async restart(name) {
      await stack.stop(name);
      services.get(name)?.launch();
    },
    async stop(only) {
      const running = [...services.values()].filter((s) => s.child && (!only || s.name === only) && s.child.exitCode === null && s.child.signalCode === null);
      await Promise.all(running.map((s) => new Promise<void>((done) => {
        const child = s.child as ChildProcess;
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => { clearTimeout(kill); done(); });
        child.kill('SIGTERM');
      })));
    },
  };
  return stack;
}
