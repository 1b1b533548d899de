// Account use cases: sign-up and looking people up.
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import type { PublicUserRow, UserRow } from '../platform/db/schema.js';
import type { CachedRows } from '../platform/cache/cached-rows.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { AccountRepository } from './account.repository.js';

export interface AccountServiceDeps {
  accounts: AccountRepository;
  /** Public user rows through the cache (read paths). */
  cachedUsers: CachedRows<PublicUserRow>;
  hasher: PasswordHasher;
  ids: IdGenerator;
}

export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  async signUp(input: { username: string; email: string; password: string }): Promise<UserRow> {
    const passwordHash = await this.deps.hasher.hash(input.password);
    try {
      // An address already registered is not attached, and the answer does not say so (no
      // enumeration of registered addresses through sign-up); usernames are public anyway.
      return await this.deps.accounts.insertSignUp({
        id: this.deps.ids.next(),
        username: input.username,
        email: input.email.trim(),
        password_hash: passwordHash,
        // Signing up never makes an administrator: `npm run cli -- admin grant` does.
        is_admin: false,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_key')) throw new AppError('USERNAME_TAKEN');
      throw error;
    }
  }

  async getById(id: string): Promise<PublicUserRow> {
    const user = (await this.deps.cachedUsers.getMany([id])).get(id);
    if (!user) throw new AppError('USER_NOT_FOUND');
    return user;
  }

  /** Public rows of many users, by id, through the cache; missing ids are left out. */
  async getManyById(ids: readonly string[]): Promise<Map<string, PublicUserRow>> {
    return this.deps.cachedUsers.getMany(ids);
  }

  async getByUsername(username: string): Promise<UserRow> {
    const user = await this.deps.accounts.findByUsername(username);
    if (!user) throw new AppError('USER_NOT_FOUND');
    return user;
  }

  /** Read from the database every time, so a grant or revoke applies at once. */
  async isAdministrator(userId: string): Promise<boolean> {
    return (await this.deps.accounts.findById(userId))?.is_admin === true;
  }

  /** The user whose password matches, or null; runs the KDF even for unknown users (no timing oracle). */
  async authenticate(login: string, password: string): Promise<UserRow | null> {
    const user = await this.deps.accounts.findByUsernameOrEmail(login);
    const ok = await this.deps.hasher.verify(password, user?.password_hash ?? DUMMY_HASH);
    return user && ok ? user : null;
  }
}

// A well-formed hash of a random password, verified against when the login is unknown.
const DUMMY_HASH = 'scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
