import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidBlobKeyError, assertValidBlobKey, contentTypeFromKey } from './blob-storage.js';
import { LocalBlobStorage } from './local-blob-storage.js';

describe('LocalBlobStorage', () => {
  let parent: string;
  let root: string;
  let storage: LocalBlobStorage;

  beforeEach(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'corkboard-blobs-'));
    root = path.join(parent, 'root');
    storage = new LocalBlobStorage(root);
  });

  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('round-trips bytes and content type', async () => {
    const data = Buffer.from([0, 1, 2, 3, 255]);
    await storage.put('pins/ab/cd/abcd.jpg', data, 'image/jpeg');
    expect(await storage.exists('pins/ab/cd/abcd.jpg')).toBe(true);
    expect(await storage.get('pins/ab/cd/abcd.jpg')).toEqual({ data, contentType: 'image/jpeg' });
    // Stored under the key itself, so the tree can be served by a static file server.
    expect(await readFile(path.join(root, 'pins/ab/cd/abcd.jpg'))).toEqual(data);
  });

  it('keeps the content type given to put even when the extension says otherwise', async () => {
    await storage.put('blob.bin', Buffer.from('x'), 'image/webp');
    expect((await storage.get('blob.bin'))?.contentType).toBe('image/webp');
  });

  it('falls back to the extension when no content type was recorded', async () => {
    await storage.put('a.png', Buffer.from('x'), 'image/png');
    await rm(path.join(root, '.meta', 'a.png'));
    expect((await storage.get('a.png'))?.contentType).toBe('image/png');
  });

  it('overwrites an existing key', async () => {
    await storage.put('k.png', Buffer.from('old'), 'image/png');
    await storage.put('k.png', Buffer.from('new'), 'image/png');
    expect((await storage.get('k.png'))?.data.toString()).toBe('new');
  });

  it('returns null / false for missing keys and deletes idempotently', async () => {
    expect(await storage.get('missing.jpg')).toBeNull();
    expect(await storage.exists('missing.jpg')).toBe(false);
    await storage.delete('missing.jpg');

    await storage.put('dir/file.jpg', Buffer.from('x'), 'image/jpeg');
    // A directory that holds other keys is not itself a blob, nor is a path under a file.
    expect(await storage.get('dir')).toBeNull();
    expect(await storage.exists('dir')).toBe(false);
    expect(await storage.get('dir/file.jpg/nested')).toBeNull();

    await storage.delete('dir/file.jpg');
    expect(await storage.exists('dir/file.jpg')).toBe(false);
    expect(await storage.get('dir/file.jpg')).toBeNull();
  });

  it('removes the directories a delete leaves empty, and only those', async () => {
    await storage.put('gone/a/1.jpg', Buffer.from('x'), 'image/jpeg');
    await storage.put('gone/a/2.jpg', Buffer.from('x'), 'image/jpeg');
    await storage.put('gone/b/1.jpg', Buffer.from('x'), 'image/jpeg');
    await storage.delete('gone/a/1.jpg');
    expect((await readdir(path.join(root, 'gone'))).sort()).toEqual(['a', 'b']);
    await storage.delete('gone/a/2.jpg');
    expect(await readdir(path.join(root, 'gone'))).toEqual(['b']);
    await storage.delete('gone/b/1.jpg');
    expect(await readdir(root)).not.toContain('gone');
    expect(await readdir(path.join(root, '.meta'))).not.toContain('gone');
    // Writing into a directory again recreates it.
    await storage.put('gone/a/1.jpg', Buffer.from('y'), 'image/jpeg');
    expect((await storage.get('gone/a/1.jpg'))?.data.toString()).toBe('y');
  });

  it('leaves no temp files behind', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => storage.put(`same.jpg`, Buffer.from(`v${i}`), 'image/jpeg')),
    );
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
    expect((await storage.get('same.jpg'))?.data.toString()).toMatch(/^v\d$/);
  });

  it('refuses path traversal and malformed keys without touching the filesystem', async () => {
    await writeFile(path.join(parent, 'x'), 'secret');
    const badKeys = [
      '../x',
      'a/../../x',
      '/etc/passwd',
      'a//b',
      'a/./b',
      '.meta/a.png',
      '.tmp',
      'a\\..\\x',
      '',
      'trailing/',
      'nul\0byte',
      'x'.repeat(2000),
    ];
    for (const key of badKeys) {
      await expect(storage.get(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(storage.put(key, Buffer.from('pwned'), 'text/plain'), key).rejects.toBeInstanceOf(
        InvalidBlobKeyError,
      );
      await expect(storage.exists(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(storage.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
    expect(await readFile(path.join(parent, 'x'), 'utf8')).toBe('secret');
  });

  it('refuses content types that could inject headers', async () => {
    await expect(storage.put('a.txt', Buffer.from('x'), 'text/plain\r\nSet-Cookie: a=b')).rejects.toThrow(
      /invalid content type/,
    );
    await expect(storage.put('a.txt', Buffer.from('x'), 'nonsense')).rejects.toThrow(/invalid content type/);
    await storage.put('a.txt', Buffer.from('x'), 'text/plain; charset=utf-8');
    expect((await storage.get('a.txt'))?.contentType).toBe('text/plain; charset=utf-8');
  });
});

describe('blob key helpers', () => {
  it('accepts ordinary keys', () => {
    expect(() => assertValidBlobKey('originals/ab/abcdef0123.jpg')).not.toThrow();
    expect(() => assertValidBlobKey('150x150/ab/abcdef_0123-x.jpg')).not.toThrow();
  });

  it('derives content types from extensions', () => {
    expect(contentTypeFromKey('a/b.JPG')).toBe('image/jpeg');
    expect(contentTypeFromKey('a/b.webp')).toBe('image/webp');
    expect(contentTypeFromKey('a/b')).toBe('application/octet-stream');
    expect(contentTypeFromKey('a.png/b')).toBe('application/octet-stream');
  });
});
