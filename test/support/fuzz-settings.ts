// The settings of a seeded, generated run (the fuzz suite, property tests): a fixed seed in ordinary
// runs so a red run is reproducible on the same code, FUZZ_SEED and FUZZ_RUNS to replay or lengthen
// one (docs/security.md#fuzzing). Kept apart from the fuzz world so a property test can use it
// without loading the whole application.

export interface FuzzSettings {
  seed: number;
  runs: number;
  long: boolean;
  /** `ms`, the time allowed for the default number of runs, grown with the runs asked for (FUZZ=long, FUZZ_RUNS). */
  timeoutFor(ms: number): number;
}

/**
 * FUZZ_SEED fixes the seed (default: a fixed one in ordinary runs, so a red run is always reproducible
 * on the same code; a random one, printed, in long runs). FUZZ=long multiplies the runs (requests,
 * generated cases) by 40; FUZZ_RUNS sets their number outright.
 */
export function fuzzSettings(defaultRuns: number): FuzzSettings {
  const long = process.env.FUZZ === 'long';
  const seedText = process.env.FUZZ_SEED;
  const seed = seedText !== undefined && seedText !== '' && seedText !== 'random' ? Number(seedText) : long || seedText === 'random' ? Math.floor(Math.random() * 2 ** 31) : 20_260_512;
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${seedText}`);
  const runsText = process.env.FUZZ_RUNS;
  const runs = runsText ? Number(runsText) : long ? defaultRuns * 40 : defaultRuns;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not ${runsText}`);
  // A long run on a loaded machine (100 requests a second) would otherwise hit a timeout sized for
  // the ordinary one before it could report anything.
  return { seed, runs, long, timeoutFor: (ms) => Math.ceil(ms * Math.max(1, runs / defaultRuns)) };
}
