// The demo's incident -> alert -> receiver table at --speed 1 with the committed timings: the
// bundle as `generate --demo` writes it (scrape 15s, evaluation 30s, every `for` x DEMO_FOR_SCALE,
// Alertmanager's group waits) on the real Prometheus and Alertmanager, local receivers standing in
// for PagerDuty (page), Slack (ticket) and a webhook (digest), tickets delivered all day. Runs one
// whole cycle of the timeline (about 55 minutes) and writes reports/demo-alerts.md.
//   npx tsx scripts/demo-alerts.ts
import { writeFileSync } from 'node:fs';
import { DEMO_FOR_SCALE } from '../src/generate/index.js';
import { CYCLE_SECONDS, names, PHASES } from '../src/demo/timeline.js';
import { delivers, RECEIVER, startStack, type Notification } from '../test/e2e/harness.js';
import { sleep } from '../test/tools.js';

const mmss = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

const stack = await startStack({ forScale: DEMO_FOR_SCALE, compressed: false });
const started = stack.demo.timeline.started * 1000;
process.stderr.write(`demo stack up; one cycle is ${CYCLE_SECONDS / 60} minutes\n`);
await sleep(CYCLE_SECONDS * 1000 + 60_000);
await stack.stop();

let offset = 0;
const rows: string[] = [];
const extra: string[] = [];
const describe = (n: Notification) => `${n.alerts.join(', ')}${n.model ? ` ${n.model}` : ''} -> ${n.receiver}`;
for (const p of PHASES) {
  const from = started + offset * 1000;
  const to = from + p.seconds * 1000;
  offset += p.seconds;
  const inPhase = stack.notifications.filter((n) => n.firing && n.at >= from && n.at < to && n.receiver !== 'webhook');
  for (const e of p.expect) {
    const got = stack.notifications.find((n) => n.at >= from && delivers(n, e));
    const when = got ? (got.at < to ? `${mmss(got.at - from)}` : `after the phase (${mmss(got.at - from)})`) : 'never';
    rows.push(`| ${p.name} | ${mmss(p.seconds * 1000)} | ${e.alert}${e.or ? ` or ${e.or}` : ''} ${e.model} (${e.severity}) | ${e.tier} (${RECEIVER[e.tier]}) | ${when} |`);
  }
  if (!p.expect.length) rows.push(`| ${p.name} | ${mmss(p.seconds * 1000)} | none | - | ${inPhase.length ? `${inPhase.length} notifications` : 'nothing sent'} |`);
  const others = inPhase.filter((n) => !p.expect.some((e) => names(e, n.alerts)));
  if (others.length) extra.push(`- ${p.name}: ${others.map(describe).join('; ')}`);
}
const report = [
  '# The demo\'s incidents at --speed 1 (scripts/demo-alerts.ts)',
  '',
  `Committed timings: scrape 15s, evaluation 30s, alert \`for\` x ${DEMO_FOR_SCALE}, page group_wait 30s, ticket group_wait 1m; tickets delivered all day.`,
  `Run ${new Date(started).toISOString()}, one cycle of ${CYCLE_SECONDS / 60} minutes.`,
  '',
  '| phase | length | expected alert | tier (receiver) | first notification after the phase started |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  'Other page and ticket notifications, by the phase they arrived in:',
  '',
  ...(extra.length ? extra : ['- none']),
  '',
].join('\n');
writeFileSync('reports/demo-alerts.md', report);
process.stdout.write(report);
process.exit(0);
