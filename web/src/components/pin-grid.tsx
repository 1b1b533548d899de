// Pins as Gestalt's Masonry grid (Pinterest's own layout): as many columns of about 236 px as fit,
// two at least, each pin under the shortest column. Scrolling near the end loads the next page.
import { useCallback, useRef, useState } from 'react';
import { Masonry } from 'gestalt';
import type { ApiError } from '../api/client';
import type { PinCardData } from '../api/queries';
import { PinCard } from './pin-card';
import { ErrorMessage } from './screen-states';

export interface PinGridProps {
  pins: PinCardData[];
  /** Loads the next page into `pins`; absent when there is none. */
  loadMore?: () => Promise<void>;
}

export function PinGrid({ pins, loadMore }: PinGridProps) {
  const loading = useRef(false);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(() => {
    if (!loadMore || loading.current) return;
    loading.current = true;
    setError(null);
    loadMore()
      .catch((failure: ApiError) => setError(failure))
      .finally(() => {
        loading.current = false;
      });
  }, [loadMore]);

  return (
    <div className="pin-grid">
      <Masonry
        items={pins}
        renderItem={({ data }) => <PinCard pin={data} />}
        columnWidth={236}
        gutterWidth={16}
        minCols={2}
        layout="flexible"
        loadItems={loadMore && !error ? load : undefined}
        scrollContainer={() => window}
        virtualize
      />
      {error ? <ErrorMessage error={error} retry={load} compact /> : null}
    </div>
  );
}
