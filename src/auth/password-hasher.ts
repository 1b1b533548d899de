// Password hashing with scrypt, Node's built-in memory-hard KDF (no native addon to build). The
// stored form names its parameters, so the cost can be raised later and old hashes still verify.
//
// scrypt runs on libuv's thread pool (four threads by default), which file reads, DNS lookups, zlib
// and sharp also need: a flood of sign-ins would otherwise hold every thread and stall /media for
// seconds. So at most `concurrency` hashes run at once (PASSWORD_HASH_CONCURRENCY, 1 by default:
// the pool keeps three threads for everything else), further ones wait in a queue of at most
// `queueLimit` (PASSWORD_HASH_QUEUE), and a sign-in or sign-up arriving to a full queue is refused
// at once with 503 PASSWORD_HASHING_BUSY and Retry-After, rather than waiting for seconds while it
// holds memory. bench/password-flood.ts measures what the bound buys.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../platform/errors.js';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface PasswordHasherOptions {
  /** log2 of scrypt's N; 15 means N = 32768, about 32 MiB of memory per hash. */
  logCost?: number;
  /** Hashes computed at once; 0 puts no bound (every hash goes to the thread pool at once). */
  concurrency?: number;
  /** Hashes that may wait for a turn; more are refused with PASSWORD_HASHING_BUSY. */
  queueLimit?: number;
}

export class PasswordHasher {
  private readonly logCost: number;
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: PasswordHasherOptions = {}) {
    this.logCost = options.logCost ?? 15;
    this.concurrency = options.concurrency ?? 1;
    this.queueLimit = options.queueLimit ?? 32;
  }

  /** Hashes running and waiting now (tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const N = 2 ** this.logCost;
    const key = await this.bounded(() => derive(password, salt, { N, r: 8, p: 1, maxmem: 256 * N * 8 }));
    return `scrypt$${this.logCost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, logN, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
    const N = 2 ** Number(logN);
    const expected = Buffer.from(key, 'base64url');
    const actual = await this.bounded(() =>
      derive(password, Buffer.from(salt, 'base64url'), { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) }),
    );
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.concurrency === 0) return work();
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) {
        throw new AppError('PASSWORD_HASHING_BUSY', undefined, undefined, { retryAfterSeconds: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
