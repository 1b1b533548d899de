// Where image bytes (originals and resized variants) live. The interface is deliberately tiny so an
// S3/GCS implementation can sit beside the local-disk one without touching callers.

export interface StoredBlob {
  data: Buffer;
  contentType: string;
}

export interface BlobStorage {
  /** Stores (or replaces) the blob under key. Readers see either the old or the new bytes, never a mix. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** Returns null when no blob exists under key. */
  get(key: string): Promise<StoredBlob | null>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** Thrown for keys that are not well-formed (empty segments, '..', absolute paths, odd characters). */
export class InvalidBlobKeyError extends Error {
  constructor(
    public readonly key: string,
    reason: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidBlobKeyError';
  }
}

const MAX_KEY_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;
// A segment may not start with '.', which rules out '.' and '..' and leaves dot-prefixed names free
// for a backend's own bookkeeping (the local backend keeps temp files and content types there).
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Keys are '/'-separated relative paths of [A-Za-z0-9._-] segments, e.g. 'pins/ab/cd/abcd.jpg'.
 * Every backend enforces the same grammar so keys stay portable between them.
 */
export function assertValidBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidBlobKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidBlobKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  for (const segment of key.split('/')) {
    if (segment.length === 0) throw new InvalidBlobKeyError(key, 'empty path segment');
    if (segment.length > MAX_SEGMENT_LENGTH) throw new InvalidBlobKeyError(key, 'path segment too long');
    if (!SEGMENT.test(segment)) {
      throw new InvalidBlobKeyError(key, `segment ${JSON.stringify(segment)} is not [A-Za-z0-9._-] or starts with '.'`);
    }
  }
}

// type/subtype with optional parameters, no control characters (the value ends up in a response header).
const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;[\x20-\x7e]*)?$/;

export function assertValidContentType(contentType: string): void {
  if (!CONTENT_TYPE.test(contentType) || contentType.length > 255) {
    throw new TypeError(`invalid content type ${JSON.stringify(contentType)}`);
  }
}

const CONTENT_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  json: 'application/json',
  txt: 'text/plain',
};

/** The content type implied by a key's extension, or application/octet-stream when unknown. */
export function contentTypeFromKey(key: string): string {
  const lastSegment = key.slice(key.lastIndexOf('/') + 1);
  const dot = lastSegment.lastIndexOf('.');
  if (dot <= 0) return 'application/octet-stream';
  return CONTENT_TYPE_BY_EXTENSION[lastSegment.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}
