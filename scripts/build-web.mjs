// Builds the web app (web/, React + Vite) into web/dist, which the server serves at `/`. `npm install`
// runs it (the `prepare` script) and `npm start` checks it again (scripts/run.mjs): a build is
// named after the sources it came from (a hash of web/'s files and of the lockfile, which fixes the
// dependencies; contents, not modification times, so a checkout does not force a build), written in
// web/dist/BUILD, and redone only when they changed. Vite writes into a fresh directory that then replaces web/dist, so a failed build leaves
// the last good one in place. Written in plain JavaScript because it runs before anything is compiled.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB, 'dist');
/** Bumped when the build options change, so an older build is not reused. */
const BUILD_FORMAT = 2;

function isSource(file) {
  return !file.startsWith('dist/') && !file.startsWith('.dist-') && !file.endsWith('.test.ts') && !file.includes('node_modules/');
}

/** Names the web app's sources as they are now. */
export function webFingerprint() {
  const files = fs
    .readdirSync(WEB, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(WEB, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter(isSource)
    .sort();
  const hash = createHash('sha256').update(`format ${BUILD_FORMAT}\n`);
  for (const file of [...files.map((file) => path.join(WEB, file)), path.join(ROOT, 'package-lock.json')]) {
    if (!fs.existsSync(file)) continue;
    hash.update(`${path.relative(ROOT, file)}\n`).update(fs.readFileSync(file)).update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

function builtFrom() {
  try {
    return fs.readFileSync(path.join(WEB_DIST, 'BUILD'), 'utf8').split('\n')[0];
  } catch {
    return null;
  }
}

/**
 * Builds web/dist unless it is a build of the current sources (`force`: always). Answers whether it
 * built. A project without web/ (the launcher's own tests) has nothing to build.
 */
export async function ensureWebBuilt({ log = () => undefined, force = false } = {}) {
  if (!fs.existsSync(path.join(WEB, 'index.html'))) return false;
  const name = webFingerprint();
  if (!force && builtFrom() === name) return false;

  const started = performance.now();
  log(`building the web app (web/) into web/dist`);
  const { build } = await import('vite');
  const tmp = fs.mkdtempSync(path.join(WEB, '.dist-'));
  // Vite takes NODE_ENV over its mode: a build started under a test runner (NODE_ENV=test) would
  // bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      mode: 'production',
      configFile: path.join(WEB, 'vite.config.ts'),
      root: WEB,
      logLevel: 'warn',
      build: { outDir: tmp, emptyOutDir: true },
    });
    fs.writeFileSync(path.join(tmp, 'BUILD'), `${name}\n`);
    fs.rmSync(WEB_DIST, { recursive: true, force: true });
    fs.renameSync(tmp, WEB_DIST);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log(`built the web app in ${Math.round(performance.now() - started)} ms`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureWebBuilt({ log: (line) => console.error(line), force: process.argv.includes('--force') });
}
