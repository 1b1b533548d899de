// The shapes the assignment engine works on. They follow GrowthBook's SDK data structures
// (Experiment, Result, Context) field for field, so a definition served to GrowthBook's own SDK and
// evaluated here gives the same answer.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** User attributes: any JSON object (id, username, account_type, country, ...). */
export type Attributes = Record<string, unknown>;

/** A GrowthBook (MongoDB-like) targeting condition. */
export type Condition = Record<string, unknown>;

/** [start, end): a slice of the unit interval of hash values. */
export type VariationRange = readonly [number, number];

/** [namespace name, start, end]: users whose namespace hash falls in [start, end) may enter. */
export type Namespace = readonly [string, number, number];

/** GrowthBook "saved groups": id -> a list of values (v1 array or v2 {type:'list'}) or a condition. */
export type SavedGroups = Record<string, unknown>;

export interface Filter {
  seed: string;
  ranges: readonly VariationRange[];
  /** Defaults to 2 for filters, as in GrowthBook. */
  hashVersion?: number;
  /** Defaults to "id". */
  attribute?: string;
}

export interface VariationMeta {
  key?: string;
  name?: string;
  passthrough?: boolean;
}

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

export interface Experiment<T = unknown> {
  key: string;
  variations: readonly T[];
  weights?: readonly number[];
  active?: boolean;
  status?: ExperimentStatus;
  coverage?: number;
  ranges?: readonly VariationRange[];
  condition?: Condition;
  namespace?: Namespace;
  filters?: readonly Filter[];
  /** Legacy GrowthBook targeting by named groups (Context.groups). */
  groups?: readonly string[];
  force?: number;
  hashAttribute?: string;
  /** Only used by GrowthBook together with sticky bucketing, which this engine does not do. */
  fallbackAttribute?: string;
  hashVersion?: number;
  seed?: string;
  meta?: readonly VariationMeta[];
  name?: string;
}

export interface RunContext {
  attributes?: Attributes;
  enabled?: boolean;
  /** The page URL: only its query string is read (GrowthBook's `?<key>=<index>` QA override). */
  url?: string;
  forcedVariations?: Record<string, number>;
  qaMode?: boolean;
  savedGroups?: SavedGroups;
  groups?: Record<string, boolean>;
}

/** GrowthBook's Result: what one user gets from one experiment. */
export interface Result<T = unknown> {
  key: string;
  featureId: string | null;
  inExperiment: boolean;
  hashUsed: boolean;
  variationId: number;
  value: T;
  hashAttribute: string;
  hashValue: unknown;
  stickyBucketUsed: boolean;
  name?: string;
  bucket?: number;
  passthrough?: boolean;
}
