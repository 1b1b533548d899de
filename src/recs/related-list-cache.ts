// Ranked related-pins lists kept per (walk, graph version) in this process, least recently used
// first out. A walk is deterministic for its request and the graph it runs on (its seed is the
// pin's id), so a repeated request for a pin reuses the list instead of walking again; the graph's
// version advances with every applied change and rebuild, and a new version empties the cache.
//
// The lists hold ids only, from the graph of PUBLIC boards, before any privacy check: every page
// is still checked against each pin's current access when it is served (RelatedPinsService), so a
// board turning SECRET, a deletion or a removal never shows through a cached list, even one not yet
// replaced. Lists stay in the process that walked them: each API process has its own graph and
// version, so a shared tier would not know which version an entry belongs to.
export class RelatedListCache {
  private version = -1;
  /** In insertion order, most recently used last; a walk under way is cached as its promise. */
  private readonly lists = new Map<string, Promise<readonly string[]>>();

  constructor(private readonly capacity: number) {}

  /** The list of `key` at graph `version`, walking (once, however many ask at once) when not cached. */
  get(version: number, key: string, walk: () => Promise<readonly string[]>): Promise<readonly string[]> {
    if (this.capacity <= 0) return walk();
    if (version !== this.version) {
      this.lists.clear();
      this.version = version;
    }
    const cached = this.lists.get(key);
    if (cached) {
      this.lists.delete(key);
      this.lists.set(key, cached);
      return cached;
    }
    const walked = walk();
    this.lists.set(key, walked);
    // A failed walk (a worker that died) is not kept: the next request walks again.
    walked.catch(() => {
      if (this.lists.get(key) === walked) this.lists.delete(key);
    });
    if (this.lists.size > this.capacity) this.lists.delete(this.lists.keys().next().value!);
    return walked;
  }

  get size(): number {
    return this.lists.size;
  }
}
