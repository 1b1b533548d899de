// Recognising an image's real format from its leading bytes, before any decoder sees it. Sniffing
// ourselves (rather than asking sharp) keeps untrusted SVG/PDF/TIFF away from libvips' wider set of
// loaders entirely, and lets us tell "a format we don't take" apart from "not an image at all".
import { MediaError } from './media-errors.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export const CONTENT_TYPE_BY_FORMAT: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};

export type SniffResult =
  | { kind: 'supported'; format: ImageFormat }
  | { kind: 'unsupported'; name: string }
  | { kind: 'unknown' };

function startsWith(data: Buffer, signature: readonly number[], offset = 0): boolean {
  if (data.length < offset + signature.length) return false;
  return signature.every((byte, i) => data[offset + i] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

export function sniffImageFormat(data: Buffer): SniffResult {
  if (startsWith(data, [0xff, 0xd8, 0xff])) return { kind: 'supported', format: 'jpeg' };
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'supported', format: 'png' };
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return { kind: 'supported', format: 'gif' };
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return { kind: 'supported', format: 'webp' };

  // Formats people do upload but we do not accept; named so the error message can say which.
  if (startsWith(data, ascii('II*\0')) || startsWith(data, ascii('MM\0*'))) return { kind: 'unsupported', name: 'TIFF' };
  if (startsWith(data, ascii('BM'))) return { kind: 'unsupported', name: 'BMP' };
  if (startsWith(data, ascii('ftyp'), 4)) {
    const brand = data.subarray(8, 12).toString('latin1');
    if (HEIF_BRANDS.has(brand)) return { kind: 'unsupported', name: brand.startsWith('avi') ? 'AVIF' : 'HEIC' };
  }
  if (startsWith(data, [0xff, 0x0a]) || startsWith(data, [0, 0, 0, 0x0c, ...ascii('JXL ')])) {
    return { kind: 'unsupported', name: 'JPEG XL' };
  }
  if (startsWith(data, [0, 0, 0, 0x0c, ...ascii('jP  ')])) return { kind: 'unsupported', name: 'JPEG 2000' };
  if (startsWith(data, [0, 0, 1, 0])) return { kind: 'unsupported', name: 'ICO' };
  if (startsWith(data, ascii('8BPS'))) return { kind: 'unsupported', name: 'PSD' };
  if (startsWith(data, ascii('%PDF'))) return { kind: 'unsupported', name: 'PDF' };
  const head = data.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  // Other markup (typically an HTML error page served in place of an image) falls through to unknown.
  if (head.startsWith('<') && /<svg[\s>]/i.test(head)) return { kind: 'unsupported', name: 'SVG' };
  return { kind: 'unknown' };
}

// Types that say nothing about the format (S3 and friends default to them), so they cannot contradict it.
const GENERIC_CONTENT_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/unknown']);

const FORMAT_BY_CONTENT_TYPE: Readonly<Record<string, ImageFormat>> = {
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/png': 'png',
  'image/x-png': 'png',
  'image/apng': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/**
 * Sniffs the format and checks it against the declared content type (if any).
 * Throws unsupported_type for recognised-but-refused formats, corrupt for bytes that are no known
 * image, and type_mismatch when the declaration names a different format than the bytes are.
 */
export function detectImageFormat(data: Buffer, declaredContentType?: string): ImageFormat {
  const sniffed = sniffImageFormat(data);
  if (sniffed.kind === 'unsupported') {
    throw new MediaError('unsupported_type', `${sniffed.name} images are not supported; use JPEG, PNG, WebP or GIF`);
  }
  if (sniffed.kind === 'unknown') throw new MediaError('corrupt', 'the data is not a recognisable image');

  const declared = declaredContentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared === '' || GENERIC_CONTENT_TYPES.has(declared)) return sniffed.format;
  const declaredFormat = FORMAT_BY_CONTENT_TYPE[declared];
  if (declaredFormat !== sniffed.format) {
    throw new MediaError(
      'type_mismatch',
      `declared content type ${declared} does not match the image data (${CONTENT_TYPE_BY_FORMAT[sniffed.format]})`,
    );
  }
  return sniffed.format;
}
