// Password hashing with scrypt, Node's built-in memory-hard KDF (no native addon to build). The
// stored form names its parameters, so the cost can be raised later and old hashes still verify.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export class PasswordHasher {
  /** @param logCost log2 of scrypt's N; 15 means N = 32768, about 32 MiB of memory per hash. */
  constructor(private readonly logCost = 15) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const N = 2 ** this.logCost;
    const key = await derive(password, salt, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
    return `scrypt$${this.logCost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, logN, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
    const N = 2 ** Number(logN);
    const expected = Buffer.from(key, 'base64url');
    const actual = await derive(password, Buffer.from(salt, 'base64url'), {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: 256 * N * Number(r),
    });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
