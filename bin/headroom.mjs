#!/usr/bin/env node
// The `headroom` CLI. In a checkout it runs src/cli/main.ts through tsx, so no build step is
// needed; installed from a package (`npm pack`, which holds no sources) it runs the bundle that
// `npm run build:cli` made, dist-cli/headroom.mjs. `relaunch` lets a command run itself again with
// another environment (profile on SwiftShader needs LD_LIBRARY_PATH set before the process starts).
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  const { processIO, relaunchSelf } = await import('../src/cli/io.ts');
  process.exitCode = await main(process.argv.slice(2), { ...processIO, relaunch: relaunchSelf });
} else {
  await import('../dist-cli/headroom.mjs');
}
