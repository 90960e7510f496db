#!/usr/bin/env node
// The `headroom` CLI: runs src/cli/main.ts through tsx, so no build step is needed. `relaunch`
// lets a command run itself again with another environment (profile on SwiftShader needs
// LD_LIBRARY_PATH set before the process starts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { processIO, relaunchSelf } = await import('../src/cli/io.ts');
process.exitCode = await main(process.argv.slice(2), { ...processIO, relaunch: relaunchSelf });
