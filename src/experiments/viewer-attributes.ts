// The attributes the server knows about a signed-in user, which experiments can target and hash on:
// id, username and account_type (PINNER or BUSINESS). Callers may add attributes of their own (a
// client's country, app version, device id) but never override these three: a caller who could send
// another id would pick their own variation and skew the results. The account type is read from
// the database once per user per minute, so assignment on a hot path costs no query.
import { LRUCache } from 'lru-cache';
import type { Attributes } from './engine/types.js';

export interface ExperimentViewer {
  userId: string;
  username: string;
}

export interface AccountLookup {
  findById(id: string): Promise<{ account_type: string } | undefined>;
}

export class ViewerAttributes {
  private readonly accountTypes: LRUCache<string, string>;

  constructor(
    private readonly accounts: AccountLookup,
    options: { maxUsers?: number; ttlMs?: number } = {},
  ) {
    this.accountTypes = new LRUCache({ max: options.maxUsers ?? 50_000, ttl: options.ttlMs ?? 60_000 });
  }

  async of(viewer: ExperimentViewer, extra?: Attributes): Promise<Attributes> {
    let accountType = this.accountTypes.get(viewer.userId);
    if (accountType === undefined) {
      accountType = (await this.accounts.findById(viewer.userId))?.account_type ?? 'PINNER';
      this.accountTypes.set(viewer.userId, accountType);
    }
    return { ...extra, id: viewer.userId, username: viewer.username, account_type: accountType };
  }
}
