// Related pins and picked-for-you pins from Pixie walks (docs/related-pins.md).
//
// - related / relatedMany: GET /v5/pins/{pin_id}/related and GraphQL relatedPins. The query pin must
//   be readable exactly as GET /v5/pins/{pin_id} (else PIN_NOT_FOUND); a save walks from its
//   original. The ranked list (RELATED_PINS_MAX_RESULTS long) is the same for every page of one pin
//   while the graph does not change, since the walk's seed is the pin's id; the bookmark is a
//   position in that list.
// - pickedForUser: the home feed's picked-for-you source, walked from the user's latest saves and
//   close-ups, newest weighing most.
// Every pin returned went through PinService.getReadableMany for the viewer and is on a PUBLIC board:
// the graph holds only PUBLIC boards, and this check holds even for a change not applied yet.
import { AppError } from '../platform/errors.js';
import { pageRequest, type Page, type PageQuery } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import type { BoardRow } from '../platform/db/schema.js';
import { readableByEveryone } from '../boards/board-access.js';
import type { Config } from '../config.js';
import type { ExperimentService } from '../experiments/experiment.service.js';
import type { PinService } from '../pins/pin.service.js';
import type { PinDetails } from '../pins/pin.repository.js';
import { hashString } from '../platform/hash.js';
import type { GraphWalk, GraphWalkResult, RelatedGraph } from './related-graph.js';
import { RelatedListCache } from './related-list-cache.js';
import type { RecsRepository, UserPinEvent } from './recs.repository.js';

/** The experiment whose variation values (numbers) set the step budget N per user. */
export const STEP_BUDGET_EXPERIMENT = 'related-pins-step-budget';

/** Bounds on a step budget an experiment may set. */
const MIN_STEPS = 100;
const MAX_STEPS = 10_000_000;

/** A close-up says less about taste than a save does. */
const CLOSEUP_WEIGHT = 0.5;

export type RelatedPinsSettings = Config['relatedPins'];

export interface PickedPin {
  /** A pin on a PUBLIC board the user may read. */
  pinId: string;
  /** The walk's (boosted) visit count: higher is better; only comparable within one answer. */
  score: number;
}

type Readable = PinDetails & { board: BoardRow };

export interface UserSeeds {
  /** Originals (v5 ids) with weights. */
  queries: Array<{ pinId: string; weight: number }>;
  /** Originals of the user's own latest pins. */
  exclude: string[];
}

export interface RelatedPinsServiceDeps {
  graph: Pick<RelatedGraph, 'walk' | 'isReady' | 'knowsOriginal' | 'version'>;
  pins: Pick<PinService, 'getReadableMany'>;
  recs: Pick<RecsRepository, 'rootsOf' | 'latestPinsOf' | 'latestCloseupsOf' | 'usernameOf'>;
  experiments: Pick<ExperimentService, 'numberFor'>;
  settings: RelatedPinsSettings;
}

export class RelatedPinsService {
  /** Ranked lists of single-pin walks by pin, step budget and graph version. */
  private readonly lists: RelatedListCache;

  constructor(private readonly deps: RelatedPinsServiceDeps) {
    this.lists = new RelatedListCache(deps.settings.cachedLists);
  }

  /** GET /v5/pins/{pin_id}/related. */
  async related(viewer: Viewer, pinId: string, query: PageQuery): Promise<Page<PinDetails>> {
    const [page] = await this.relatedMany(viewer, [pinId], query);
    if (!page || page instanceof AppError) throw page ?? new AppError('PIN_NOT_FOUND');
    return page;
  }

  /**
   * related() for many pins with one page request, in a few statements whatever their number
   * (GraphQL lists of pins asking for each one's related pins). Each entry is that pin's page or
   * the AppError related() would throw for it.
   */
  async relatedMany(viewer: Viewer, pinIds: readonly string[], query: PageQuery): Promise<Array<Page<PinDetails> | AppError>> {
    this.assertReady();
    const page = pageRequest(query, 1);
    const offset = this.offsetOf(page.after);
    const queryPins = await this.deps.pins.getReadableMany(viewer, pinIds);
    const roots = await this.rootsOf([...queryPins.values()].map((details) => details.pin));
    const steps = await this.stepBudget(viewer);
    const walks = await Promise.all(
      pinIds.map(async (pinId) => {
        const root = roots.get(pinId);
        if (!queryPins.has(pinId) || root === undefined) return null;
        // Read the version as the walk is sent: a list is never kept under a version newer than its walk.
        return this.lists.get(this.deps.graph.version, `${root} ${pinId} ${steps}`, async () => {
          const walk = await this.walk({
            queries: [{ pinId: root, weight: 1 }],
            seed: hashString(root),
            limit: this.deps.settings.maxResults,
            exclude: [pinId],
            settings: this.walkSettings(steps),
          });
          return walk.pinIds;
        });
      }),
    );
    const lists = walks.map((walk) => walk ?? []);
    const pages = await this.readablePages(viewer, lists, offset, page.limit);
    return walks.map((walk, i) => (walk === null ? new AppError('PIN_NOT_FOUND') : pages[i]!));
  }

  /**
   * Picked-for-you pins for the home feed: up to `limit` pins, best first, walked from the user's
   * latest saves and close-ups. Each is on a PUBLIC board and readable by the user; none is one of
   * the pins the walk started from. Empty while the graph is still being built, for an unknown
   * user, or one with no saves yet.
   */
  async pickedForUser(userId: string, limit: number): Promise<PickedPin[]> {
    if (!this.deps.graph.isReady || limit <= 0) return [];
    const username = await this.deps.recs.usernameOf(userId);
    if (username === undefined) return [];
    const viewer: Viewer = { userId, username, scopes: new Set(['boards:read', 'pins:read']), isAdmin: false };
    const walk = await this.walkForUser(viewer, this.deps.settings.maxResults);
    const [page] = await this.readablePages(viewer, [walk.pinIds], 0, limit);
    const scores = new Map(walk.pinIds.map((pinId, i) => [pinId, walk.scores[i]!]));
    return (page?.items ?? []).map((details) => ({ pinId: details.pin.id, score: scores.get(details.pin.id) ?? 0 }));
  }

  /** The user's walk before any privacy check (what pickedForUser pages through). */
  async walkForUser(viewer: Pick<Viewer, 'userId' | 'username'>, limit: number): Promise<GraphWalkResult> {
    const seeds = await this.seedsForUser(viewer.userId);
    if (seeds.queries.length === 0) return { pinIds: [], scores: [], steps: 0, stoppedEarly: 0, queriesInGraph: 0 };
    const steps = await this.stepBudget(viewer);
    return this.walk({ ...seeds, seed: hashString(viewer.userId), limit, settings: this.walkSettings(steps) });
  }

  /** A walk; a walk worker that died (its walks fail) is the caller's 503, as is a graph not built yet. */
  private async walk(request: GraphWalk): Promise<GraphWalkResult> {
    try {
      return await this.deps.graph.walk(request);
    } catch (error) {
      throw new AppError('UNAVAILABLE', 'Related pins are unavailable for a moment; try again.', { cause: String(error) });
    }
  }

  /**
   * What a user's walk starts from: the originals of their latest saves (weight 1) and close-ups
   * (weight 0.5), each weight halving every RELATED_PINS_SEED_HALF_LIFE_DAYS back from the newest;
   * and the originals of their latest pins, never offered back to them.
   */
  async seedsForUser(userId: string): Promise<UserSeeds> {
    const { recs, settings } = this.deps;
    const [saves, closeups] = await Promise.all([recs.latestPinsOf(userId, settings.userSeeds), recs.latestCloseupsOf(userId, settings.userSeeds)]);
    const events = [...saves.map((event) => ({ event, weight: 1 })), ...closeups.map((event) => ({ event, weight: CLOSEUP_WEIGHT }))];
    if (events.length === 0) return { queries: [], exclude: [] };
    const roots = await this.rootsOf(events.map(({ event }) => ({ id: event.pin_id, parent_pin_id: event.parent_pin_id })));
    const newest = Math.max(...events.map(({ event }) => new Date(event.at).getTime()));
    const halfLifeMs = settings.seedHalfLifeDays * 86_400_000;
    const weights = new Map<string, number>();
    for (const { event, weight } of events) {
      const root = roots.get(event.pin_id);
      if (root === undefined) continue;
      const decayed = weight * 0.5 ** ((newest - new Date(event.at).getTime()) / halfLifeMs);
      weights.set(root, (weights.get(root) ?? 0) + decayed);
    }
    return {
      queries: [...weights].map(([pinId, weight]) => ({ pinId, weight })),
      exclude: [...new Set(saves.flatMap((event: UserPinEvent) => roots.get(event.pin_id) ?? []))],
    };
  }

  /** N for this viewer: the experiment's value when one runs, else RELATED_PINS_STEPS. */
  private async stepBudget(viewer: Pick<Viewer, 'userId' | 'username'>): Promise<number> {
    const fallback = this.deps.settings.steps;
    const value = await this.deps.experiments.numberFor(viewer, STEP_BUDGET_EXPERIMENT, fallback);
    return Math.round(Math.min(MAX_STEPS, Math.max(MIN_STEPS, value)));
  }

  private walkSettings(steps: number) {
    const { restartProbability, earlyStopPins, earlyStopVisits, recencyBias } = this.deps.settings;
    return { steps, restartProbability, earlyStopPins, earlyStopVisits, recencyBias };
  }

  private assertReady(): void {
    if (!this.deps.graph.isReady) throw new AppError('UNAVAILABLE', 'Related pins are being prepared; try again in a few seconds.');
  }

  private offsetOf(after: string[] | null): number {
    const raw = after?.[0];
    if (raw === undefined) return 0;
    if (!/^\d{1,9}$/.test(raw)) throw new AppError('INVALID_BOOKMARK');
    return Number(raw);
  }

  /** The original each pin belongs to (itself when it is one), by pin id: known to the graph or looked up. */
  private async rootsOf(pins: ReadonlyArray<{ id: string; parent_pin_id: string | null }>): Promise<Map<string, string>> {
    const roots = new Map<string, string>();
    const unknown: string[] = [];
    for (const pin of pins) {
      if (pin.parent_pin_id === null) roots.set(pin.id, pin.id);
      else if (this.deps.graph.knowsOriginal(pin.parent_pin_id)) roots.set(pin.id, pin.parent_pin_id);
      else unknown.push(pin.id);
    }
    for (const [id, root] of await this.deps.recs.rootsOf(unknown)) roots.set(id, root);
    return roots;
  }

  /**
   * Pages of `limit` pins from each ranked list, from position `offset`, keeping only pins on PUBLIC
   * boards the viewer may read. Candidates of every list are checked together, `limit + 1` of them
   * (the one more says whether a next page exists): the lists come from the graph of PUBLIC boards,
   * so nearly all are readable, and a list left short by unreadable pins is topped up in another round.
   */
  private async readablePages(viewer: Viewer, lists: ReadonlyArray<readonly string[]>, offset: number, limit: number): Promise<Array<Page<PinDetails>>> {
    const kept = lists.map(() => [] as Array<{ details: PinDetails; position: number }>);
    const cursors = lists.map(() => offset);
    for (;;) {
      const wanted = new Map<number, string[]>();
      lists.forEach((list, i) => {
        const missing = limit + 1 - kept[i]!.length;
        if (missing <= 0 || cursors[i]! >= list.length) return;
        wanted.set(i, list.slice(cursors[i], cursors[i]! + missing));
      });
      if (wanted.size === 0) break;
      const readable = await this.deps.pins.getReadableMany(viewer, [...new Set([...wanted.values()].flat())]);
      for (const [i, ids] of wanted) {
        for (const id of ids) {
          const position = cursors[i]!;
          cursors[i] = position + 1;
          const found: Readable | undefined = readable.get(id);
          if (found && readableByEveryone(found.board.privacy) && kept[i]!.length <= limit) {
            const { board: _board, ...details } = found;
            kept[i]!.push({ details, position });
          }
        }
      }
    }
    return kept.map((items) => {
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map((item) => item.details), next: items.length > limit && last ? [String(last.position + 1)] : null };
    });
  }
}
