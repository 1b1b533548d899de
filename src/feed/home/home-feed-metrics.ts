// Home feed figures for /metrics: how each page's list was obtained. "new" is a first page (the list
// built for a new snapshot), "cached" a later page served from the stored list, "rebuilt" a later
// page whose list had left the cache and was built again from the bookmark's snapshot.
import { Counter, type Registry } from 'prom-client';

export type ListSource = 'new' | 'cached' | 'rebuilt';

export class HomeFeedMetrics {
  private readonly pages: Counter<'list'>;

  constructor(registry: Registry) {
    this.pages = new Counter({
      name: 'corkboard_home_feed_pages_total',
      help: 'Home feed pages served, by how their list was obtained: new (first page), cached (a later page from the stored list), rebuilt (a later page after the list left the cache).',
      labelNames: ['list'],
      registers: [registry],
    });
  }

  page(list: ListSource): void {
    this.pages.inc({ list });
  }
}
