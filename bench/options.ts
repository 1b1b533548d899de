// `npm run bench -- [options]`: what the command line may say, with defaults, validated before
// anything is generated or started.
import { parseArgs } from 'node:util';
import { SIZE_PRESETS, type DatasetSize } from '../src/dataset/options.js';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios.js';

export const USAGE = `Usage: npm run bench -- [options]

Dataset (generated into the database unless --reuse):
  --dataset small|medium|custom   preset size, or custom with --pins/--users (default small)
  --pins N --users N              custom sizes (users default to pins / 10)
  --saves N --images N            custom saves (default 3 x pins) and distinct images (default 500)
  --seed S                        dataset seed (default "corkboard")
  --reuse                         the dataset is already loaded: benchmark what the database holds
  --reset                         replace whatever the database holds with the dataset
  --data-dir DIR                  PGlite data directory and media (default DATA_DIR, else a temp dir
                                  that is deleted afterwards); with DATABASE_URL set, PostgreSQL is used

Load:
  --scenarios a,b                 which scenarios (default: ${SCENARIO_NAMES.filter((name) => name !== 'pin-create-unique').join(',')})
  --duration 10                   seconds measured per scenario (and per baseline)
  --warmup 2                      seconds of unmeasured load before each measurement
  --rounds 2                      the measured time is split into rounds alternating server and baseline
  --connections 16                concurrent keep-alive connections
  --max-requests 200000           cap on requests per measured run (a run ends at the cap or the duration)
  --quiet-threshold 0.15          before each run, wait while other programs use more than this share of the CPUs...
  --quiet-wait 300                ...for at most this many seconds (0: do not wait)
  --out DIR                       where results go (default bench/results)
  --keep-data                     keep a temporary data directory after the run
`;

export class BenchUsageError extends Error {}

export interface DatasetChoice {
  /** small, medium, or custom-<pins> (used in file names and reports). */
  label: string;
  /** Whether --dataset was given (with --reuse and no --dataset, the label comes from the rows found). */
  explicit: boolean;
  size: DatasetSize;
  users: number | undefined;
  pins: number | undefined;
  saves: number | undefined;
  images: number | undefined;
  seed: string | undefined;
}

export interface BenchOptions {
  dataset: DatasetChoice;
  reuse: boolean;
  reset: boolean;
  dataDir: string | undefined;
  scenarios: ScenarioName[];
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  maxRequests: number;
  quietThreshold: number;
  quietWaitSeconds: number;
  outDir: string;
  keepData: boolean;
  help: boolean;
}

function positive(raw: string | undefined, name: string, fallback: number, min?: number): number;
function positive(raw: string | undefined, name: string, fallback: undefined, min?: number): number | undefined;
function positive(raw: string | undefined, name: string, fallback: number | undefined, min = 1): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new BenchUsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function share(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new BenchUsageError(`--${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

/** 100000 -> "100k", 1000000 -> "1m": short enough for a file name. */
export function shortCount(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

function datasetChoice(values: Record<string, string | boolean | undefined>): DatasetChoice {
  const kind = (values.dataset as string | undefined) ?? 'small';
  const pins = positive(values.pins as string | undefined, 'pins', undefined);
  const users = positive(values.users as string | undefined, 'users', undefined, 2);
  const saves = positive(values.saves as string | undefined, 'saves', undefined, 0);
  const images = positive(values.images as string | undefined, 'images', undefined);
  const seed = values.seed as string | undefined;
  if (kind === 'custom') {
    if (pins === undefined) throw new BenchUsageError('--dataset custom needs --pins N (and optionally --users N)');
    return {
      label: `custom-${shortCount(pins)}`,
      explicit: true,
      size: 'small',
      pins,
      users: users ?? Math.max(2, Math.round(pins / 10)),
      saves: saves ?? pins * 3,
      images: images ?? 500,
      seed,
    };
  }
  if (!(kind in SIZE_PRESETS)) throw new BenchUsageError(`--dataset must be small, medium or custom, got "${kind}"`);
  return { label: kind, explicit: values.dataset !== undefined, size: kind as DatasetSize, pins, users, saves, images, seed };
}

function scenarioList(raw: string | undefined): ScenarioName[] {
  if (raw === undefined) return SCENARIO_NAMES.filter((name) => name !== 'pin-create-unique');
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new BenchUsageError(`unknown scenario "${unknown.join(', ')}"; choose from ${SCENARIO_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as ScenarioName[];
}

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dataset: { type: 'string' },
        pins: { type: 'string' },
        users: { type: 'string' },
        saves: { type: 'string' },
        images: { type: 'string' },
        seed: { type: 'string' },
        reuse: { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        scenarios: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        rounds: { type: 'string' },
        connections: { type: 'string' },
        'max-requests': { type: 'string' },
        'quiet-threshold': { type: 'string' },
        'quiet-wait': { type: 'string' },
        out: { type: 'string' },
        'keep-data': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.reuse && values.reset) throw new BenchUsageError('--reuse and --reset contradict each other; pick one');
  const connections = positive(values.connections, 'connections', 16);
  const maxRequests = positive(values['max-requests'], 'max-requests', 200_000);
  if (maxRequests < connections) throw new BenchUsageError('--max-requests must be at least --connections');
  return {
    dataset: datasetChoice(values),
    reuse: values.reuse,
    reset: values.reset,
    dataDir: values['data-dir'] ?? (env.DATA_DIR?.trim() || undefined),
    scenarios: scenarioList(values.scenarios),
    durationSeconds: positive(values.duration, 'duration', 10),
    warmupSeconds: positive(values.warmup, 'warmup', 2, 0),
    rounds: positive(values.rounds, 'rounds', 2),
    connections,
    maxRequests,
    quietThreshold: share(values['quiet-threshold'], 'quiet-threshold', 0.15),
    quietWaitSeconds: positive(values['quiet-wait'], 'quiet-wait', 300, 0),
    outDir: values.out ?? 'bench/results',
    keepData: values['keep-data'],
    help: values.help,
  };
}
