// Real ids, usernames, keys and bookmarks of the fuzzed server's world. Generated requests hold
// PoolRefs (a kind and an index) rather than values, so a run is fixed by its seed while the pool
// still grows with what the fuzzer itself creates (a new board's id is fuzzed by later requests).

export type PoolKind = 'board' | 'pin' | 'section' | 'user' | 'experiment' | 'bookmark' | 'image' | 'token';

export class PoolRef {
  constructor(
    readonly kind: PoolKind,
    readonly index: number,
    /** How the value is written: as it is, as a GraphQL global id, or a fragment of it. */
    readonly form: 'plain' | 'global' = 'plain',
  ) {}
}

const GLOBAL_TYPE: Partial<Record<PoolKind, string>> = { board: 'Board', pin: 'Pin', section: 'BoardSection', user: 'User' };

export class Pool {
  private readonly values = new Map<PoolKind, string[]>();

  add(kind: PoolKind, value: string | null | undefined): void {
    if (typeof value !== 'string' || value === '') return;
    const list = this.values.get(kind) ?? [];
    if (!list.includes(value)) list.push(value);
    // A bounded pool keeps early fixtures reachable however much the fuzzer creates.
    if (list.length > 200) list.splice(20, 1);
    this.values.set(kind, list);
  }

  get(kind: PoolKind, index: number): string {
    const list = this.values.get(kind) ?? [];
    return list.length === 0 ? '9000000000000000001' : list[index % list.length]!;
  }

  /** Replaces every PoolRef inside a generated value by a value of the pool. */
  resolve(value: unknown): unknown {
    if (value instanceof PoolRef) {
      const plain = this.get(value.kind, value.index);
      const type = GLOBAL_TYPE[value.kind];
      return value.form === 'global' && type ? Buffer.from(`${type}:${plain}`, 'utf8').toString('base64') : plain;
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    // Plain objects only: other instances (a GraphQL enum literal) are written by their own toJSON.
    if (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        // defineProperty: a generated "__proto__" key stays an own property, as JSON.parse would make it.
        Object.defineProperty(out, key, { value: this.resolve(item), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return value;
  }
}
