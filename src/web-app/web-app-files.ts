// The web app's built files (web/dist, written by `npm run build:web`, which `npm install` runs), read
// into memory once when the server starts: a few hundred kilobytes, each kept plain and gzipped with
// its ETag, so a rebuild while a server runs changes nothing it serves and a request reads no disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface WebAppFile {
  type: string;
  body: Buffer;
  /** Null when gzip would not make it smaller (images, tiny files). */
  gzipped: Buffer | null;
  etag: string;
  /** Vite names files under assets/ after their content: they never change, browsers keep them. */
  immutable: boolean;
}

export interface WebAppFiles {
  /** Files by their path on the site (`/assets/index-1a2b.js`), index.html excluded. */
  files: Map<string, WebAppFile>;
  index: WebAppFile;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The project's root: the nearest folder above this file holding package.json. The sources run from
 * src/web-app/ and the compiled build from dist/<build>/web-app/, so a fixed relative path would not do.
 */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export function defaultWebAppDir(): string {
  return path.join(projectRoot(), 'web', 'dist');
}

function fileOf(name: string, body: Buffer): WebAppFile {
  const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
  const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(type) && body.length >= 1024;
  return {
    type,
    body,
    gzipped: compressible ? gzipSync(body, { level: 9 }) : null,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    immutable: name.startsWith('assets/'),
  };
}

/** Reads a build; null when there is none (index.html missing). */
export function loadWebAppFiles(dir: string): WebAppFiles | null {
  const indexPath = path.join(dir, 'index.html');
  if (!fs.existsSync(indexPath)) return null;
  const files = new Map<string, WebAppFile>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    // BUILD records which sources the build came from (scripts/build-web.mjs): not for browsers.
    if (name === 'index.html' || name === 'BUILD') continue;
    files.set(`/${name}`, fileOf(name, fs.readFileSync(path.join(dir, name))));
  }
  return { files, index: fileOf('index.html', fs.readFileSync(indexPath)) };
}
