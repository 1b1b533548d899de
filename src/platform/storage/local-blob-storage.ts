// BlobStorage on the local filesystem. Layout under the root directory:
//   <key>             the bytes
//   .meta/<key>       the content type given to put() (keys cannot start with '.', so no collisions)
//   .tmp/<random>     in-flight writes, renamed into place so readers never see a partial file
// Keys are internal names (images are stored under their ids, which are guessable): never serve this
// tree as it is; image files are served through GET /media/images/<capability>/<file>.
// Directories left empty by delete() are removed, so collected images leave nothing behind.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  assertValidBlobKey,
  assertValidContentType,
  contentTypeFromKey,
  InvalidBlobKeyError,
  type BlobStorage,
  type StoredBlob,
} from './blob-storage.js';

const META_DIR = '.meta';
const TMP_DIR = '.tmp';

export class LocalBlobStorage implements BlobStorage {
  private readonly root: string;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const dataPath = this.dataPath(key);
    assertValidContentType(contentType);
    // Bytes first, then the content type: if we crash in between, get() falls back to the type implied
    // by the key's extension instead of returning a type for bytes that were never written.
    await this.writeAtomically(dataPath, data);
    await this.writeAtomically(this.metaPath(key), Buffer.from(contentType, 'utf8'));
  }

  async get(key: string): Promise<StoredBlob | null> {
    const dataPath = this.dataPath(key);
    let data: Buffer;
    try {
      data = await readFile(dataPath);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    return { data, contentType: await this.readContentType(key) };
  }

  async delete(key: string): Promise<void> {
    const dataPath = this.dataPath(key);
    const metaPath = this.metaPath(key);
    await rm(dataPath, { force: true });
    await rm(metaPath, { force: true });
    await this.removeEmptyParents(dataPath, this.root);
    await this.removeEmptyParents(metaPath, path.join(this.root, META_DIR));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.dataPath(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  private async readContentType(key: string): Promise<string> {
    try {
      const stored = (await readFile(this.metaPath(key), 'utf8')).trim();
      if (stored) return stored;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    return contentTypeFromKey(key);
  }

  /** Removes the directories above `filePath` that are now empty, up to (not including) `base`. */
  private async removeEmptyParents(filePath: string, base: string): Promise<void> {
    for (let dir = path.dirname(filePath); dir.startsWith(base + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): so are its parents
      }
    }
  }

  private async writeAtomically(finalPath: string, data: Buffer): Promise<void> {
    const tmpDir = path.join(this.root, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    const tmpPath = path.join(tmpDir, randomUUID());
    try {
      const handle = await open(tmpPath, 'wx');
      try {
        await handle.writeFile(data);
        // Flush before the rename so a power loss cannot leave a renamed-but-empty file behind.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.renameInto(tmpPath, finalPath);
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
  }

  /** rename() into place, creating the directory; again if a delete removed it as it emptied. */
  private async renameInto(from: string, to: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(path.dirname(to), { recursive: true });
      try {
        await rename(from, to);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
      }
    }
  }

  private dataPath(key: string): string {
    assertValidBlobKey(key);
    return this.resolveInside(key, this.root);
  }

  private metaPath(key: string): string {
    assertValidBlobKey(key);
    return this.resolveInside(key, path.join(this.root, META_DIR));
  }

  // The key grammar already rules out traversal; this re-checks the final path in case the grammar
  // is ever loosened.
  private resolveInside(key: string, base: string): string {
    const resolved = path.resolve(base, key);
    if (!resolved.startsWith(base + path.sep)) throw new InvalidBlobKeyError(key, 'escapes the storage root');
    return resolved;
  }
}

// ENOTDIR: a prefix of the key is a file (e.g. 'a' exists and we look up 'a/b'); EISDIR: the key is a
// directory holding other keys. Neither is a blob.
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
