// What each image of the generated compose file ships, and how its entrypoint runs on this
// machine. A healthcheck may only call a tool listed here: that is how `docker compose up` hung
// on a wget the exporter image does not have.
//
// Sources:
// - prom/prometheus, prom/alertmanager: prometheus/prometheus and prometheus/alertmanager
//   Dockerfiles, `FROM quay.io/prometheus/busybox-${OS}-${ARCH}`, ENTRYPOINT /bin/prometheus and
//   /bin/alertmanager, promtool and amtool copied next to them. busybox provides wget and sh.
//   No zoneinfo: prometheus/busybox#61 (tzdata not added), and neither binary embeds time/tzdata
//   (no import, no timetzdata build tag in .promu.yml), so Go cannot load `Europe/London`.
// - grafana/grafana: Grafana docs, "Run Grafana Docker image": the default image is the Alpine
//   variant; Alpine's busybox provides wget and sh. Grafana cannot run on this machine, so its
//   service is checked for tools only.
// - the modelwatch image: this repository's Dockerfile, FROM node:24-bookworm-slim, WORKDIR /app,
//   ENTRYPOINT node dist/cli/index.js. Debian slim images ship neither wget nor curl (checked
//   on node:*-bookworm-slim); node is the one tool there.
export interface ImageSpec {
  /** Tools a healthcheck `CMD` may start. */
  readonly tools: readonly string[];
  /** How the image's entrypoint runs here (Debian binary or node), or null when it cannot run on this machine. */
  readonly entrypoint: readonly string[] | null;
  /** Whether /usr/share/zoneinfo exists in the image (else it is hidden from the process here). */
  readonly zoneinfo: boolean;
  /** The image's WORKDIR. */
  readonly workdir: string;
  /** Directories the image itself creates: fresh (empty) in every new container unless a volume covers them. */
  readonly ownDirs: readonly string[];
}

export const IMAGES: Readonly<Record<string, ImageSpec>> = {
  'prom/prometheus': { tools: ['wget', 'sh', 'prometheus', 'promtool'], entrypoint: ['prometheus'], zoneinfo: false, workdir: '/prometheus', ownDirs: ['/prometheus'] },
  'prom/alertmanager': { tools: ['wget', 'sh', 'alertmanager', 'amtool'], entrypoint: ['prometheus-alertmanager'], zoneinfo: false, workdir: '/alertmanager', ownDirs: ['/alertmanager'] },
  'grafana/grafana': { tools: ['wget', 'sh', 'grafana'], entrypoint: null, zoneinfo: true, workdir: '/usr/share/grafana', ownDirs: ['/var/lib/grafana'] },
  // Node carries its own time zone data (ICU).
  'ghcr.io/modelwatch/modelwatch': { tools: ['node'], entrypoint: ['node', 'dist/cli/index.js'], zoneinfo: true, workdir: '/app', ownDirs: ['/var/lib/modelwatch'] },
};

/** The host command that stands in for an image's tool: busybox for busybox, this node for node. */
export const HOST_TOOL: Readonly<Record<string, readonly string[]>> = {
  wget: ['busybox', 'wget'],
  sh: ['busybox', 'sh'],
  node: [process.execPath],
};

export const imageSpec = (image: string): ImageSpec => {
  const repo = image.replace(/:[^/:]+$/, '');
  const spec = IMAGES[repo];
  if (!spec) throw new Error(`no tool table for image ${image}`);
  return spec;
};
