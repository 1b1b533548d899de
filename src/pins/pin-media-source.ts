// Reads PinCreate.media_source (Pinterest's PinMediaSource union) into the image source the media
// service takes. Corkboard pins hold exactly one image, given as base64 bytes or as a URL to fetch.
import { AppError } from '../platform/errors.js';
import type { ImageSource } from '../media/media.service.js';

// Pinterest's ContentType lists image/jpeg and image/png; WebP and GIF are accepted as well since the
// image pipeline handles them.
const UPLOAD_CONTENT_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const URL_MAX = 2048;
const OTHER_PINTEREST_SOURCES = new Set(['video_id', 'multiple_image_base64', 'multiple_image_urls', 'pin_url']);

const FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  image_base64: new Set(['source_type', 'content_type', 'data', 'is_standard']),
  image_url: new Set(['source_type', 'url', 'is_standard']),
};

function invalid(message: string): AppError {
  return new AppError('INVALID_PARAMETERS', `Invalid body: ${message}`);
}

export function parseMediaSource(source: Record<string, unknown>): ImageSource {
  const type = source.source_type;
  const fields = typeof type === 'string' ? FIELDS[type] : undefined;
  if (!fields) {
    if (typeof type === 'string' && OTHER_PINTEREST_SOURCES.has(type)) {
      throw invalid(
        `media_source.source_type "${type}" is not supported: Corkboard pins hold one image; use "image_base64" or "image_url".`,
      );
    }
    throw invalid('media_source.source_type must be "image_base64" or "image_url".');
  }
  for (const key of Object.keys(source)) {
    if (!fields.has(key)) throw invalid(`unknown field "${key}" in media_source for source_type "${String(type)}".`);
  }
  if (source.is_standard !== undefined && source.is_standard !== true) {
    throw invalid('media_source.is_standard may only be true (simplified pins are not supported).');
  }

  if (type === 'image_url') {
    const url = source.url;
    if (typeof url !== 'string' || url.length === 0) throw invalid('media_source.url is required.');
    if (url.length > URL_MAX) throw invalid(`media_source.url must be at most ${URL_MAX} characters.`);
    if (!URL.canParse(url)) throw invalid('media_source.url is not a valid URL.');
    return { kind: 'url', url };
  }

  const contentType = source.content_type;
  if (typeof contentType !== 'string' || !UPLOAD_CONTENT_TYPES.has(contentType)) {
    throw invalid('media_source.content_type must be "image/jpeg" or "image/png" (or "image/webp", "image/gif").');
  }
  const data = source.data;
  if (typeof data !== 'string' || data.length === 0) throw invalid('media_source.data is required.');
  if (!BASE64.test(data)) throw invalid('media_source.data must be base64-encoded image bytes.');
  return { kind: 'upload', data: Buffer.from(data, 'base64'), contentType };
}
