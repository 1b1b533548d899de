// What a dataset is made of: named sizes, every knob with its default, and validation so a bad value
// is refused before anything is generated or written.
import { EPOCH_MS } from '../platform/ids.js';
import { TOPICS } from './topics.js';

export type DatasetSize = 'small' | 'medium';

export interface DatasetOptions {
  /** Any string; the same seed and options give the same rows. */
  seed: string;
  users: number;
  /** Original pins (created by their owners). */
  pins: number;
  /** Saves (repins): pin rows whose parent_pin_id is the pin they were saved from. */
  saves: number;
  /** Distinct generated images that pins share. */
  images: number;
  /** Share of boards that are SECRET. */
  secretShare: number;
  /** Share of boards that are PROTECTED. */
  protectedShare: number;
  /** Users whose last saves are held back for recommendation evaluation. */
  holdoutUsers: number;
  /** End of the dataset's time window (ms since the Unix epoch). */
  endMs: number;
  /** Length of the time window in days. */
  spanDays: number;
}

export const SIZE_PRESETS: Readonly<Record<DatasetSize, Pick<DatasetOptions, 'users' | 'pins' | 'saves' | 'images'>>> = {
  small: { users: 1_000, pins: 10_000, saves: 30_000, images: 500 },
  medium: { users: 100_000, pins: 1_000_000, saves: 10_000_000, images: 2_000 },
};

export const DEFAULT_OPTIONS: Readonly<Omit<DatasetOptions, 'users' | 'pins' | 'saves' | 'images'>> = {
  seed: 'corkboard',
  secretShare: 0.05,
  protectedShare: 0.01,
  holdoutUsers: 0,
  // A fixed end keeps a seed's data identical whenever it is generated; it lies before the server's
  // own "now", so pins created through the API sort after every generated one.
  endMs: Date.UTC(2026, 10, 1),
  spanDays: 182,
};

// Pair keys pack two indexes below 2^26 each (see PairSet); rows of every table stay below that.
const MAX_ROWS = 2 ** 26 - 1;

export class DatasetOptionsError extends Error {}

export type DatasetOptionsInput = Partial<DatasetOptions> & { size?: DatasetSize };

export function resolveDatasetOptions(input: DatasetOptionsInput = {}): DatasetOptions {
  const { size = 'small', ...overrides } = input;
  const preset = SIZE_PRESETS[size];
  if (!preset) throw new DatasetOptionsError(`size must be one of ${Object.keys(SIZE_PRESETS).join(', ')}`);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const options: DatasetOptions = { ...DEFAULT_OPTIONS, ...preset, ...defined };
  validate(options);
  return options;
}

function integerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DatasetOptionsError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

function shareIn(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new DatasetOptionsError(`${name} must be a number from 0 to 1, got ${value}`);
  }
}

function validate(options: DatasetOptions): void {
  if (options.seed.length === 0) throw new DatasetOptionsError('seed must not be empty');
  integerIn('users', options.users, 2, MAX_ROWS);
  integerIn('pins', options.pins, 1, MAX_ROWS);
  integerIn('saves', options.saves, 0, MAX_ROWS - options.pins);
  integerIn('images', options.images, TOPICS.length, 1_000_000);
  shareIn('secretShare', options.secretShare);
  shareIn('protectedShare', options.protectedShare);
  if (options.secretShare + options.protectedShare > 0.9) {
    throw new DatasetOptionsError('secretShare + protectedShare must leave at least 10% of boards public');
  }
  integerIn('holdoutUsers', options.holdoutUsers, 0, options.users);
  integerIn('spanDays', options.spanDays, 1, 3650);
  if (!Number.isFinite(options.endMs) || options.endMs - options.spanDays * 86_400_000 <= EPOCH_MS) {
    throw new DatasetOptionsError('the time window must start after 2020-01-01 (the ID epoch)');
  }
}
