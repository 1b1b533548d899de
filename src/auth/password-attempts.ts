// The per-username limit on password sign-ins (the password grant and the /login form), on top of
// the per-address authentication limit: guessing one person's password from many addresses runs out
// after RATE_LIMIT_PASSWORD_ATTEMPTS tries a window, whatever the addresses.
//
// So that an attacker cannot lock the owner out by failing on purpose, an address that signed in as
// that person within RATE_LIMIT_KNOWN_ADDRESS_DAYS is not held back by it (the owner's own devices
// keep working during an attack; only the per-address limit applies to them). From an address never
// used before, the owner waits for the window to end like anyone else. Every attempt from an unknown
// address is counted before its password is checked, so a burst of concurrent guesses cannot slip in
// between a check and a count; the limit is the same for names that exist and names that do not.
import { createHash } from 'node:crypto';
import type { RateLimit, RateLimits } from '../config.js';
import { AppError } from '../platform/errors.js';
import type { RateCounter, RateLimiter } from '../platform/http/rate-limits.js';

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export class PasswordAttempts {
  constructor(
    private readonly deps: {
      attempts: RateCounter;
      /** Addresses that signed in as a username (a count that lasts the known-address window). */
      knownAddresses: RateCounter | null;
    },
  ) {}

  static from(limiter: RateLimiter, limits: Pick<RateLimits, 'passwordAttempts' | 'knownAddressDays'>): PasswordAttempts {
    const remembered: RateLimit = { max: Number.MAX_SAFE_INTEGER, windowSeconds: limits.knownAddressDays * 86_400 };
    return new PasswordAttempts({
      attempts: limiter.counter('password-attempts', limits.passwordAttempts),
      knownAddresses: limits.knownAddressDays > 0 ? limiter.counter('known-address', remembered) : null,
    });
  }

  /** Counts an attempt to sign in as `username` from `address`; throws SIGN_IN_ATTEMPTS_EXCEEDED when over. */
  async admit(username: string, address: string): Promise<void> {
    const name = digest(username.trim().toLowerCase());
    if (this.deps.knownAddresses && (await this.deps.knownAddresses.peek(`${name}:${address}`)).used > 0) return;
    const state = await this.deps.attempts.hit(name);
    if (state.exceeded) throw new AppError('SIGN_IN_ATTEMPTS_EXCEEDED', undefined, undefined, { retryAfterSeconds: state.resetSeconds });
  }

  /** Remembers that `address` signed in as `username`. */
  async succeeded(username: string, address: string): Promise<void> {
    await this.deps.knownAddresses?.hit(`${digest(username.trim().toLowerCase())}:${address}`);
  }
}
