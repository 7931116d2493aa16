// The compose run and the fresh-clone test start the exporter as the image does, from dist/:
// build it once before any test, so they never run stale code.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
