// Runs one of Corkboard's programs (src/<name>.ts: main, cli, ...) from its compiled build, compiling
// the sources first when they changed since the last build (scripts/build.mjs). `npm start` and
// `npm run cli` go through it. The program runs in this process, as if started with
// `node dist/<build>/<name>.js <args>`, so signals reach it directly.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';
import { ensureWebBuilt } from './build-web.mjs';

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[\w/-]+$/.test(name)) {
  console.error('usage: node scripts/run.mjs <program> [arguments], e.g. node scripts/run.mjs main --role api');
  process.exit(2);
}
const log = (line) => console.error(`corkboard: ${line}`);
const outdir = await ensureBuilt({ log });
if (name === 'main') {
  // The server serves the web app's build (npm install made it); sources changed since are built
  // again. Without a build the API still serves, and says so in its log.
  await ensureWebBuilt({ log }).catch((error) => log(`the web app could not be built: ${error.message}`));
}
const entry = path.join(outdir, `${name}.js`);
// The programs run only when they are the process's main file (tests import them for their parsers).
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
