// The experiments Corkboard's own product reads. Product code asks
// `experiments.numberFor(viewer, key, default)`: with no running experiment of that key it gets its
// default, otherwise the value of the viewer's variation (variation 0, the control, for users the
// experiment does not cover), and the viewer's first read is logged as their exposure. So variation
// 0 of these experiments should carry the product's current default, and each value is the setting
// the product applies for that user.
//
// The definitions here are the recommended starting point (and what the demo data creates); an
// administrator may create them with other values or weights through the API.

export interface ProductExperimentSpec {
  key: string;
  name: string;
  description: string;
  /** Where the product reads it. */
  readBy: string;
  /** What product code passes as the default (used while no experiment of this key runs). */
  defaultValue: number;
  variations: Array<{ key: string; name: string; value: number }>;
  metrics: string[];
}

export const HOME_FEED_BLEND_RATE: ProductExperimentSpec = {
  key: 'home-feed-blend-rate',
  name: 'Home feed blend rate',
  description: 'Share of the home feed taken from picked-for-you pins rather than from followed boards and people (0 to 1; FEED_PICKED_RATE).',
  readBy: 'the home feed (src/feed/home), for each first page',
  defaultValue: 0.3,
  variations: [
    { key: 'control', name: 'Control (30% picked)', value: 0.3 },
    { key: 'more-picked', name: 'More picked (50%)', value: 0.5 },
  ],
  metrics: ['saves_per_user', 'saved_at_least_once', 'saves_per_impression', 'closeups_per_impression', 'hides_per_impression'],
};

export const RELATED_PINS_STEP_BUDGET: ProductExperimentSpec = {
  key: 'related-pins-step-budget',
  name: 'Related pins step budget',
  description: 'Random-walk steps spent finding a pin\'s related pins (RELATED_PINS_STEPS): fewer steps answer faster, more give steadier recommendations.',
  readBy: 'related pins (src/recs), for each request',
  defaultValue: 100_000,
  variations: [
    { key: 'control', name: 'Control (100k steps)', value: 100_000 },
    { key: 'half-steps', name: 'Half the steps (50k)', value: 50_000 },
  ],
  metrics: ['closeups_per_impression', 'saves_per_impression', 'saves_per_user'],
};

export const PRODUCT_EXPERIMENTS: readonly ProductExperimentSpec[] = [HOME_FEED_BLEND_RATE, RELATED_PINS_STEP_BUDGET];
