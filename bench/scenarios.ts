// The benchmark scenarios: what each one asks of the server, and a stream of requests for it. Reads
// spread over many targets Zipf-wise (a few hot, a long tail); writes never repeat a (viewer, target)
// pair within a stream, so each request does the full work of a first save or follow.
import { Rng } from '../src/dataset/prng.js';
import { AliasTable, zipfWeights } from '../src/dataset/sampling.js';
import { benchPng } from './png.js';
import type { BenchTargets, BenchViewer } from './targets.js';

export const SCENARIO_NAMES = [
  'pin-get-hot',
  'pin-get',
  'board-pins',
  'user-profile',
  'search-own-pins',
  'search-public-pins',
  'terms-suggested',
  'pin-create',
  'pin-save',
  'follow-user',
  'pin-create-unique',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RequestStream {
  next(): BenchRequest;
  /** Requests that had to repeat an earlier (viewer, target) pair because fresh ones ran out. */
  readonly repeats: number;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  method: 'GET' | 'POST';
  route: string;
  expectedStatus: number;
  writes: boolean;
  description: string;
  /** A new, independent stream; `label` seeds it (the measured run and its baseline get different ones). */
  stream(targets: BenchTargets, label: string): RequestStream;
}

/** How many distinct images the pin-create scenario rotates through. */
export const ROTATED_IMAGES = 48;
/** Unique images made before a pin-create-unique run starts. */
const UNIQUE_IMAGE_POOL = 2000;
const READ_ZIPF = 1.0;
const WRITE_ZIPF = 0.8;
const MAX_PICKS = 50;
/** The most-saved public pins the warm pin read draws from: few enough to stay in every cache tier. */
const HOT_PINS = 200;

class ZipfPicker<T> {
  private readonly table: AliasTable;
  constructor(
    private readonly items: readonly T[],
    exponent: number,
  ) {
    if (items.length === 0) throw new Error('nothing to pick from: the dataset has no rows for this scenario');
    this.table = new AliasTable(zipfWeights(items.length, exponent));
  }
  pick(rng: Rng): T {
    return this.items[this.table.sample(rng)] as T;
  }
}

function auth(viewer: BenchViewer): Record<string, string> {
  return { authorization: `Bearer ${viewer.token}` };
}

function jsonPost(viewer: BenchViewer, path: string, body: unknown): BenchRequest {
  return {
    method: 'POST',
    path,
    headers: { ...auth(viewer), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function readStream(targets: BenchTargets, label: string, make: (rng: Rng, viewer: BenchViewer) => BenchRequest): RequestStream {
  const rng = Rng.stream(targets.seed, label);
  return {
    repeats: 0,
    next: () => make(rng, rng.pick(targets.viewers)),
  };
}

/**
 * A stream of writes that avoids repeating a pair: `draw` proposes (key, request) and the stream
 * redraws on a key it has used; after MAX_PICKS tries it accepts a repeat and counts it.
 */
function pairStream(
  targets: BenchTargets,
  label: string,
  draw: (rng: Rng, viewer: BenchViewer) => { key: string; request: BenchRequest } | null,
): RequestStream {
  const rng = Rng.stream(targets.seed, label);
  const used = new Set<string>();
  let repeats = 0;
  return {
    get repeats() {
      return repeats;
    },
    next() {
      let last: { key: string; request: BenchRequest } | null = null;
      for (let attempt = 0; attempt < MAX_PICKS; attempt += 1) {
        const drawn = draw(rng, rng.pick(targets.viewers));
        if (!drawn) continue;
        last = drawn;
        if (!used.has(drawn.key)) {
          used.add(drawn.key);
          return drawn.request;
        }
      }
      if (!last) throw new Error(`${label}: no valid request could be drawn`);
      repeats += 1;
      return last.request;
    },
  };
}

/** A number that differs between runs, so images made by one run are not deduplicated in the next. */
const RUN_NONCE = Date.now() % 1_000_000;

function pinCreateStream(targets: BenchTargets, label: string, image: (n: number) => string): RequestStream {
  const rng = Rng.stream(targets.seed, label);
  let n = 0;
  return {
    repeats: 0,
    next() {
      n += 1;
      const viewer = rng.pick(targets.viewers);
      return jsonPost(viewer, '/v5/pins', {
        board_id: rng.pick(viewer.boardIds),
        title: `Benchmark pin ${n}`,
        description: `Created by the benchmark (run ${RUN_NONCE}, request ${n}). #benchmark`,
        link: `https://bench.example.com/pins/${RUN_NONCE}/${n}`,
        alt_text: 'A generated gradient',
        media_source: { source_type: 'image_base64', content_type: 'image/png', data: image(n) },
      });
    },
  };
}

const rotatedImages = Array.from({ length: ROTATED_IMAGES }, (_, i) => benchPng(i).toString('base64'));

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  'pin-get-hot': {
    name: 'pin-get-hot',
    title: 'Pin get, warm cache',
    method: 'GET',
    route: '/v5/pins/{pin_id}',
    expectedStatus: 200,
    writes: false,
    description: `GET one public pin, uniformly among the ${HOT_PINS} most-saved: after the warm-up every read is answered from the process's cache, so this measures the read path itself.`,
    stream(targets, label) {
      const hot = targets.publicPins.slice(0, HOT_PINS);
      return readStream(targets, label, (rng, viewer) => ({
        method: 'GET',
        path: `/v5/pins/${rng.pick(hot)}`,
        headers: auth(viewer),
      }));
    },
  },
  'pin-get': {
    name: 'pin-get',
    title: 'Pin get',
    method: 'GET',
    route: '/v5/pins/{pin_id}',
    expectedStatus: 200,
    writes: false,
    description: 'GET one public pin; pin ids drawn Zipf-wise (s = 1) over a sample of public pins, most-saved first.',
    stream(targets, label) {
      const pins = new ZipfPicker(targets.publicPins, READ_ZIPF);
      return readStream(targets, label, (rng, viewer) => ({
        method: 'GET',
        path: `/v5/pins/${pins.pick(rng)}`,
        headers: auth(viewer),
      }));
    },
  },
  'board-pins': {
    name: 'board-pins',
    title: 'Board pins page',
    method: 'GET',
    route: '/v5/boards/{board_id}/pins?page_size=25',
    expectedStatus: 200,
    writes: false,
    description: 'First page (25 pins) of a public board; boards drawn Zipf-wise over a sample of non-empty public boards, most-followed first.',
    stream(targets, label) {
      const boards = new ZipfPicker(targets.publicBoards, READ_ZIPF);
      return readStream(targets, label, (rng, viewer) => ({
        method: 'GET',
        path: `/v5/boards/${boards.pick(rng)}/pins?page_size=25`,
        headers: auth(viewer),
      }));
    },
  },
  'user-profile': {
    name: 'user-profile',
    title: 'User profile',
    method: 'GET',
    route: '/v5/users/{username}',
    expectedStatus: 200,
    writes: false,
    description: "Another user's profile; usernames drawn Zipf-wise over a sample of users, most-followed first.",
    stream(targets, label) {
      const users = new ZipfPicker(targets.users, READ_ZIPF);
      return readStream(targets, label, (rng, viewer) => ({
        method: 'GET',
        path: `/v5/users/${encodeURIComponent(users.pick(rng).username)}`,
        headers: auth(viewer),
      }));
    },
  },
  'search-own-pins': {
    name: 'search-own-pins',
    title: 'Search own pins',
    method: 'GET',
    route: '/v5/search/pins?query={word}',
    expectedStatus: 200,
    writes: false,
    description: "Full-text search of the viewer's own pins for one topic word taken from the viewer's pin titles (so there are matches).",
    stream(targets, label) {
      return readStream(targets, label, (rng, viewer) => ({
        method: 'GET',
        path: `/v5/search/pins?query=${encodeURIComponent(rng.pick(viewer.searchWords))}`,
        headers: auth(viewer),
      }));
    },
  },
  'search-public-pins': {
    name: 'search-public-pins',
    title: 'Search public pins',
    method: 'GET',
    route: '/v5/search/partner/pins?term={word}&country_code=US',
    expectedStatus: 200,
    writes: false,
    description:
      "Search of everyone's public pins (10 results, Pinterest's default) for one topic word taken from the viewer's pin titles: a common word, so the statement ranks every public pin that matches (docs/search.md).",
    stream(targets, label) {
      return readStream(targets, label, (rng, viewer) => ({
        method: 'GET',
        path: `/v5/search/partner/pins?term=${encodeURIComponent(rng.pick(viewer.searchWords))}&country_code=US`,
        headers: auth(viewer),
      }));
    },
  },
  'terms-suggested': {
    name: 'terms-suggested',
    title: 'Typeahead',
    method: 'GET',
    route: '/v5/terms/suggested?term={prefix}',
    expectedStatus: 200,
    writes: false,
    description: "Typeahead: the first 2 to 5 letters of a word from the viewer's pin titles, as someone typing it; 4 suggestions (the default).",
    stream(targets, label) {
      return readStream(targets, label, (rng, viewer) => {
        const word = rng.pick(viewer.searchWords);
        return { method: 'GET', path: `/v5/terms/suggested?term=${encodeURIComponent(word.slice(0, rng.between(2, 5)))}`, headers: auth(viewer) };
      });
    },
  },
  'pin-create': {
    name: 'pin-create',
    title: 'Pin create',
    method: 'POST',
    route: '/v5/pins',
    expectedStatus: 201,
    writes: true,
    description: `Create a pin on one of the viewer's boards with a base64 PNG (96x72) rotated over ${ROTATED_IMAGES} distinct images; every body has its own title, description and link. Once a viewer has stored an image, that viewer's later uploads of it are deduplicated by sha256 (no resize); uploads are deduplicated per owner, so each viewer's first upload of an image is resized.`,
    stream: (targets, label) => pinCreateStream(targets, label, (n) => rotatedImages[n % ROTATED_IMAGES] as string),
  },
  'pin-save': {
    name: 'pin-save',
    title: 'Pin save',
    method: 'POST',
    route: '/v5/pins/{pin_id}/save',
    expectedStatus: 201,
    writes: true,
    description: "Save a public pin (Zipf-wise, s = 0.8, most-saved first) onto one of the viewer's own boards; no (pin, board) pair repeats.",
    stream(targets, label) {
      const pins = new ZipfPicker(targets.publicPins, WRITE_ZIPF);
      return pairStream(targets, label, (rng, viewer) => {
        const pin = pins.pick(rng);
        const board = rng.pick(viewer.boardIds);
        return { key: `${pin}:${board}`, request: jsonPost(viewer, `/v5/pins/${pin}/save`, { board_id: board }) };
      });
    },
  },
  'follow-user': {
    name: 'follow-user',
    title: 'Follow user',
    method: 'POST',
    route: '/v5/user_account/following/{username}',
    expectedStatus: 200,
    writes: true,
    description: 'Follow a user (Zipf-wise, s = 0.8, most-followed first) the viewer does not follow yet; no (viewer, user) pair repeats.',
    stream(targets, label) {
      const users = new ZipfPicker(targets.users, WRITE_ZIPF);
      return pairStream(targets, label, (rng, viewer) => {
        const user = users.pick(rng);
        if (user.id === viewer.id || viewer.following.has(user.id)) return null;
        return {
          key: `${viewer.id}:${user.id}`,
          request: jsonPost(viewer, `/v5/user_account/following/${encodeURIComponent(user.username)}`, {}),
        };
      });
    },
  },
  'pin-create-unique': {
    name: 'pin-create-unique',
    title: 'Pin create, new image',
    method: 'POST',
    route: '/v5/pins',
    expectedStatus: 201,
    writes: true,
    description: 'Like pin create, but every request uploads a never-seen image, so each one decodes it and writes four JPEG renditions (the image pipeline). Not in the default set.',
    stream: (targets, label) => {
      // Variants are 32-bit: 12 bits of run nonce, 20 bits of request number (the rotated images are 0-47).
      const offset = ((RUN_NONCE % 4095) + 1) * 2 ** 20;
      const image = (n: number) => benchPng(offset + (n % 2 ** 20)).toString('base64');
      // Encoding a PNG per request would slow the load generator; the first ones are made up front, which
      // covers what the server processes in a run. The baseline (no dedupe to defeat) cycles over them.
      const pool = Array.from({ length: UNIQUE_IMAGE_POOL }, (_, n) => image(n + 1));
      const cycle = label.endsWith(':baseline');
      return pinCreateStream(targets, label, (n) => (n <= pool.length ? pool[n - 1] : cycle ? pool[(n - 1) % pool.length] : undefined) ?? image(n));
    },
  },
};
