// Compiles src/ to plain JavaScript with esbuild (one output file per source file, types stripped,
// no type check: `npm run typecheck` does that), so programs start without compiling TypeScript on
// every start. Each build lives in its own directory, dist/<fingerprint>/, named after the sources it
// was built from (paths, sizes and modification times): a build is never changed once written, a
// process that already runs keeps the files it started with, and sources edited after a build give a
// new fingerprint, so a stale build cannot be run by mistake. Written in plain JavaScript because it
// runs before anything is compiled.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
export const DIST = path.join(ROOT, 'dist');
/** Builds kept besides the current one: a process started before a rebuild may still load files from its own. */
const KEEP_OLD_BUILDS = 2;
/** Bumped when the options below change, so an older build is not reused. */
const BUILD_FORMAT = 1;

function isProgramSource(file) {
  return file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('-test-support.ts') && !file.endsWith('.d.ts');
}

/** Every source file to compile, relative to src/, sorted. */
function listSources() {
  return fs
    .readdirSync(SRC, { recursive: true })
    .map((file) => file.split(path.sep).join('/'))
    .filter(isProgramSource)
    .sort();
}

/** Names the sources as they are now: any file added, removed or written changes it. */
export function fingerprint(sources = listSources()) {
  const hash = createHash('sha256').update(`format ${BUILD_FORMAT}\n`);
  for (const file of sources) {
    const stat = fs.statSync(path.join(SRC, file));
    hash.update(`${file}\t${stat.size}\t${stat.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Deletes builds other than `current`, keeping the newest few (by the time they were written). */
function pruneOldBuilds(current) {
  const builds = fs
    .readdirSync(DIST, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== current && !entry.name.startsWith('.tmp-'))
    .map((entry) => ({ dir: path.join(DIST, entry.name), mtimeMs: fs.statSync(path.join(DIST, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { dir } of builds.slice(KEEP_OLD_BUILDS)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Returns the directory of a build of the current sources, compiling one first when there is none
 * (about a second). Safe when several processes start at once: each compiles into a directory of
 * its own and renames it into place; the first rename wins and the others use it.
 */
export async function ensureBuilt({ log = () => undefined } = {}) {
  const sources = listSources();
  const name = fingerprint(sources);
  const outdir = path.join(DIST, name);
  if (fs.existsSync(path.join(outdir, 'BUILD'))) return outdir;

  const started = performance.now();
  log(`compiling src/ (${sources.length} files) to dist/${name}`);
  const { build } = await import('esbuild');
  fs.mkdirSync(DIST, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(DIST, '.tmp-'));
  try {
    await build({
      entryPoints: sources.map((file) => path.join(SRC, file)),
      outdir: tmp,
      outbase: SRC,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'error',
    });
    fs.writeFileSync(path.join(tmp, 'BUILD'), `${name}\n${sources.length} files\n`);
    try {
      fs.renameSync(tmp, outdir);
    } catch (error) {
      // Another process finished the same build first: use its copy.
      if (!fs.existsSync(path.join(outdir, 'BUILD'))) throw error;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  pruneOldBuilds(name);
  log(`compiled in ${Math.round(performance.now() - started)} ms`);
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = await ensureBuilt({ log: (line) => console.error(line) });
  console.log(path.relative(ROOT, outdir));
}
