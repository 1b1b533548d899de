// The secret part of an image's URLs. Image files are served to anyone who asks (an <img> tag sends
// no token, and CDNs cache them), so the URL itself is the permission, as with Pinterest's image CDN:
// 192 bits from the operating system's CSPRNG, never derived from an id, a hash of the bytes or the
// time. Only people who may see a pin are ever given its image's URLs.
import { randomBytes } from 'node:crypto';

const CAPABILITY_BYTES = 24;
const CAPABILITY = /^[A-Za-z0-9_-]{32}$/;

/** A new capability: 24 random bytes as 32 characters of URL-safe base64. */
export function newImageCapability(): string {
  return randomBytes(CAPABILITY_BYTES).toString('base64url');
}

/** Whether `value` has the shape of a capability (and so is worth looking up). */
export function isImageCapability(value: string): boolean {
  return CAPABILITY.test(value);
}
