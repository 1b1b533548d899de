// Failures of image ingestion (upload or image_url fetch). Kept independent of the HTTP error catalogue
// so media code has no dependency on the API layer; the route layer maps each reason to a 400 code.

export type MediaErrorReason =
  /** The bytes are not JPEG, PNG, WebP or GIF (e.g. TIFF, SVG, HEIC). */
  | 'unsupported_type'
  /** The declared content type names a different format than the bytes actually are. */
  | 'type_mismatch'
  /** The upload or download is larger than the configured byte limit. */
  | 'too_large'
  /** width x height exceeds the configured pixel limit (decompression-bomb guard). */
  | 'too_many_pixels'
  /** The bytes look like an image but cannot be decoded. */
  | 'corrupt'
  /** The URL is not allowed: bad scheme, private/loopback address, credentials in the URL. */
  | 'fetch_refused'
  /** The remote server could not be reached, answered non-2xx, or redirected too often. */
  | 'fetch_failed'
  /** The whole fetch (DNS, connect, redirects, body) took longer than the configured timeout. */
  | 'fetch_timeout';

export class MediaError extends Error {
  constructor(
    public readonly reason: MediaErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export function isMediaError(error: unknown): error is MediaError {
  return error instanceof MediaError;
}
