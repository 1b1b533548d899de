// A list that grows page by page (a feed, a board's pins): starts from the page the screen's query
// brought, appends the next pages, and drops pins already shown (a feed may repeat one).
import { useCallback, useState } from 'react';
import type { Connection, PinCardData } from './queries';

export interface Pages {
  pins: PinCardData[];
  /** Absent on the last page. */
  loadMore?: () => Promise<void>;
}

interface Loaded {
  first: Connection<PinCardData> | null;
  pins: PinCardData[];
  cursor: string | null;
}

function startFrom(first: Connection<PinCardData> | null): Loaded {
  return { first, pins: first?.edges.map((edge) => edge.node) ?? [], cursor: first?.pageInfo.hasNextPage ? first.pageInfo.endCursor : null };
}

/** Pins not in `shown` yet, in order. */
export function appendNew(shown: readonly PinCardData[], page: readonly PinCardData[]): PinCardData[] {
  const seen = new Set(shown.map((pin) => pin.id));
  return [...shown, ...page.filter((pin) => !seen.has(pin.id))];
}

export function usePages(first: Connection<PinCardData> | null, fetchPage: (after: string) => Promise<Connection<PinCardData>>): Pages {
  const [loaded, setLoaded] = useState<Loaded>(() => startFrom(first));
  // A new first page (another board opened, a reload) starts over, in this same render.
  let current = loaded;
  if (loaded.first !== first) {
    current = startFrom(first);
    setLoaded(current);
  }
  const { cursor } = current;

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    const page = await fetchPage(cursor);
    setLoaded((state) =>
      state.cursor !== cursor
        ? state
        : { ...state, pins: appendNew(state.pins, page.edges.map((edge) => edge.node)), cursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null },
    );
  }, [cursor, fetchPage]);

  return { pins: current.pins, ...(cursor ? { loadMore } : {}) };
}
