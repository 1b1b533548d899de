// The metrics an experiment can report, all defined over the engagement events clients send
// (engagement_events: impression, closeup, save, click, hide), counted per exposed user:
//
// - mean:       events of one kind per user (saves per user);
// - proportion: users with at least one event of a kind (saved at least once);
// - ratio:      events of one kind over events of another, summed over the variation's users (saves
//               per impression), analysed with the delta method.
//
// An experiment lists the keys it cares about (`metrics`); one that lists none is analysed with
// DEFAULT_METRICS. Adding a metric is one entry here.
import type { MetricType } from '../stats/analysis.js';

export const ENGAGEMENT_KINDS = ['impression', 'closeup', 'save', 'click', 'hide'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

export interface MetricDefinition {
  key: string;
  name: string;
  description: string;
  type: MetricType;
  /** The event kind counted (the numerator of a ratio). */
  kind: EngagementKind;
  /** A ratio's denominator kind. */
  denominatorKind?: EngagementKind;
  /** False for metrics where a fall is the good news (hides). */
  higherIsBetter: boolean;
}

const PLURAL: Record<EngagementKind, string> = {
  impression: 'impressions',
  closeup: 'close-ups',
  save: 'saves',
  click: 'clicks',
  hide: 'hides',
};

const PAST: Record<EngagementKind, string> = {
  impression: 'saw a pin',
  closeup: 'opened a close-up',
  save: 'saved',
  click: 'clicked through',
  hide: 'hid a pin',
};

function perUser(kind: EngagementKind): MetricDefinition {
  return {
    key: `${kind}s_per_user`,
    name: `${PLURAL[kind][0]!.toUpperCase()}${PLURAL[kind].slice(1)} per user`,
    description: `Mean number of ${kind} events per exposed user after their first exposure.`,
    type: 'mean',
    kind,
    higherIsBetter: kind !== 'hide',
  };
}

const AT_LEAST_ONCE_KEYS: Record<EngagementKind, string> = {
  impression: 'saw_at_least_once',
  closeup: 'closeup_at_least_once',
  save: 'saved_at_least_once',
  click: 'clicked_at_least_once',
  hide: 'hid_at_least_once',
};

function atLeastOnce(kind: EngagementKind): MetricDefinition {
  return {
    key: AT_LEAST_ONCE_KEYS[kind],
    name: `Users who ${PAST[kind]} at least once`,
    description: `Share of exposed users with at least one ${kind} event after their first exposure.`,
    type: 'proportion',
    kind,
    higherIsBetter: kind !== 'hide',
  };
}

function perImpression(kind: Exclude<EngagementKind, 'impression'>): MetricDefinition {
  return {
    key: `${kind}s_per_impression`,
    name: `${PLURAL[kind][0]!.toUpperCase()}${PLURAL[kind].slice(1)} per impression`,
    description: `All ${kind} events of the variation's exposed users over all their impressions (a ratio metric).`,
    type: 'ratio',
    kind,
    denominatorKind: 'impression',
    higherIsBetter: kind !== 'hide',
  };
}

export const METRICS: readonly MetricDefinition[] = [
  ...ENGAGEMENT_KINDS.map(perUser),
  ...ENGAGEMENT_KINDS.map(atLeastOnce),
  ...(['closeup', 'save', 'click', 'hide'] as const).map(perImpression),
];

const BY_KEY = new Map(METRICS.map((metric) => [metric.key, metric]));

/** The metrics analysed for an experiment that names none. */
export const DEFAULT_METRICS: readonly string[] = ['saves_per_user', 'saved_at_least_once', 'saves_per_impression'];

export function metricByKey(key: string): MetricDefinition | undefined {
  return BY_KEY.get(key);
}

/** The definitions of an experiment's metrics (the defaults when it names none), unknown keys left out. */
export function metricsOf(keys: readonly string[]): MetricDefinition[] {
  return (keys.length > 0 ? keys : DEFAULT_METRICS).flatMap((key) => BY_KEY.get(key) ?? []);
}
