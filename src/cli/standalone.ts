/**
 * The entry point of the bundled CLI (`npm run build:cli` -> dist-cli/headroom.mjs): the same
 * `main` as bin/headroom.mjs runs through tsx in a checkout, with no TypeScript loader.
 */
import { processIO, relaunchSelf } from './io';
import { main } from './main';

process.exitCode = await main(process.argv.slice(2), { ...processIO, relaunch: relaunchSelf });
