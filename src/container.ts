// Composition root: configuration -> database -> repositories -> services. Plain constructors, wired
// once here; nothing else reaches for globals.
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { IdGenerator } from './platform/ids.js';
import { HttpMetrics } from './platform/http/metrics.js';
import { IdempotencyRepository } from './platform/http/idempotency.repository.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { AccountRepository } from './accounts/account.repository.js';
import { AccountService } from './accounts/account.service.js';
import { TokenRepository } from './auth/token.repository.js';
import { TokenService } from './auth/token.service.js';
import { SessionRepository } from './auth/session.repository.js';
import { SessionService } from './auth/session.service.js';
import { BoardRepository } from './boards/board.repository.js';
import { BoardService } from './boards/board.service.js';
import { BoardSectionRepository } from './boards/board-section.repository.js';
import { BoardSectionService } from './boards/board-section.service.js';
import { BoardMembersRepository } from './boards/board-members.repository.js';
import { BoardMembersService } from './boards/board-members.service.js';
import { FollowRepository } from './follows/follow.repository.js';
import { FollowService } from './follows/follow.service.js';
import { SearchRepository } from './search/search.repository.js';
import { SearchService } from './search/search.service.js';
import { PublicSearchRepository } from './search/public-search.repository.js';
import { PublicSearchService } from './search/public-search.service.js';
import { ProfileRepository } from './profiles/profile.repository.js';
import { ProfileService } from './profiles/profile.service.js';
import { LocalBlobStorage } from './platform/storage/local-blob-storage.js';
import { MediaRepository } from './media/media.repository.js';
import { MediaService } from './media/media.service.js';
import { PinRepository, pinTransactions } from './pins/pin.repository.js';
import { PinService } from './pins/pin.service.js';
import type { Logger } from 'pino';
import { createBackground } from './platform/background.js';
import { wireExperiments } from './experiments/experiments.wiring.js';
import { wireRelatedPins } from './recs/recs.wiring.js';
import { wireHomeFeed } from './feed/home/home-feed.wiring.js';
import { wireFollowingTimelines } from './feed/timeline/timeline.wiring.js';
import { EngagementEventsRepository } from './events/engagement-events.repository.js';
import { EngagementEventsService } from './events/engagement-events.service.js';
import { RowWriteTracker, mayChangeAccess, mayLogRowChanges } from './platform/db/row-writes.js';
import { currentUnitOfWork } from './platform/db/unit-of-work.js';

/** A transaction's commit, as Kysely sends it. */
const COMMIT = /^\s*commit\b/i;
import { CachedRows, type RowTable } from './platform/cache/cached-rows.js';
import { CachedBoards } from './boards/cached-boards.js';
import { PinDetailsReader } from './pins/pin-details-reader.js';
import { BoardPageIds } from './pins/board-page-ids.js';
import { PinBundleRepository } from './pins/pin-bundle.repository.js';
import { readinessDependencies } from './ops/dependencies.js';
import { registerDependencyGauge } from './ops/readiness.js';
import { Deadline } from './platform/deadline.js';

/** How long close() may take when no deadline is given (tests, tools). */
const CLOSE_DEFAULT_MS = 30_000;
const DATABASE_CLOSE_RESERVE_MS = 1000;
/** Time left after dropping the database connections for the statements they held to fail. */
const ABORT_GRACE_MS = 100;

export interface ContainerOptions {
  /** An already open database (tests pass one restored from a prepared snapshot). */
  database?: DatabaseHandle;
  /** log2 of scrypt's N; tests lower it to keep sign-ups fast. */
  passwordLogCost?: number;
  logger?: Logger;
}

export async function createContainer(config: Config, options: ContainerOptions = {}) {
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.pgliteDir,
      queryTimeoutMs: config.databaseQueryTimeoutMs,
      logger: options.logger,
    }));
  await migrateToLatest(database.db);
  const { db } = database;
  const ids = new IdGenerator();
  const metrics = new HttpMetrics();
  const hasher = new PasswordHasher({ logCost: options.passwordLogCost, ...config.passwordHashing });
  // PGlite is written through this handle only: counting the statements that may log row changes
  // lets a request skip the change-log read when none was sent (recent-row-changes.ts).
  let rowWritesSent = 0;
  if (database.engine === 'pglite') {
    database.statements.watch((sqlText) => {
      if (mayLogRowChanges(sqlText)) rowWritesSent += 1;
    });
  }
  // Changes of access this process makes apply to its own next request at once, not only to requests
  // after its answer (fresh-reads.ts): counted when such a statement completes and when its
  // transaction commits (a request's unit of work commits unlogged, so through onCommit).
  let accessChangesMade = 0;
  database.statements.watch((sqlText) => {
    if (mayChangeAccess(sqlText)) {
      accessChangesMade += 1;
      currentUnitOfWork()?.onCommit(() => {
        accessChangesMade += 1;
      });
    } else if (COMMIT.test(sqlText)) accessChangesMade += 1;
  });
  const background = createBackground(config, db, metrics.registry, {
    logger: options.logger,
    accessChangesMade: () => accessChangesMade,
    ...(database.engine === 'pglite' ? { writesSent: () => rowWritesSent } : {}),
  });
  // What readiness and corkboard_dependency_up check (src/ops/readiness.ts).
  const dependencies = readinessDependencies(db, background.pingRedis);
  registerDependencyGauge(metrics.registry, dependencies);

  const repositories = {
    accounts: new AccountRepository(db),
    tokens: new TokenRepository(db),
    sessions: new SessionRepository(db),
    idempotency: new IdempotencyRepository(db),
    boards: new BoardRepository(db),
    boardSections: new BoardSectionRepository(db),
    boardMembers: new BoardMembersRepository(db),
    follows: new FollowRepository(db),
    search: new SearchRepository(db),
    publicSearch: new PublicSearchRepository(db),
    images: new MediaRepository(db),
    pins: new PinRepository(db),
  };

  // Users, boards, collaborators and pins cached by id for the read paths (platform/cache/cached-rows.ts).
  const rowWrites = new RowWriteTracker();
  database.statements.watch((sqlText) => rowWrites.record(sqlText));
  // Invalidated by the background side (background.ts, recent-row-changes.ts).
  const fresh = () => background.freshReads.fresh();
  // Missing users, boards and pins are remembered as hidden ones are: both answer 404 from the cache.
  const cachedRows = <T>(table: RowTable, load: (ids: string[]) => Promise<Map<string, T>>) =>
    new CachedRows<T>({ cache: background.cache, table, load, bypass: () => rowWrites.wroteCachedRows(), fresh, rememberAbsent: table !== 'board_collaborators' });
  const cachedUsers = cachedRows('users', (ids) => repositories.accounts.findPublicByIds(ids));
  const cachedBoards = new CachedBoards(
    cachedRows('boards', (ids) => repositories.boards.findByIds(ids)),
    cachedRows('board_collaborators', (ids) => repositories.boards.findCollaboratorRoles(ids)),
  );
  const pinReader = new PinDetailsReader({
    cache: background.cache,
    bundles: new PinBundleRepository(db),
    usable: async () => !rowWrites.wroteCachedRows() && (await fresh()),
  });

  const accounts = new AccountService({
    cachedUsers,
    accounts: repositories.accounts,
    hasher,
    ids,
  });
  const tokens = new TokenService({
    tokens: repositories.tokens,
    cache: background.cache,
    fresh,
    accounts,
    ids,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
  });

  const sessions = new SessionService({ sessions: repositories.sessions, accounts, ids, ttlSeconds: config.auth.sessionTtlSeconds });

  const boards = new BoardService({ boards: repositories.boards, ids, cached: cachedBoards });
  const boardSections = new BoardSectionService({ boards, sections: repositories.boardSections, ids });
  const boardMembers = new BoardMembersService({
    boards,
    members: repositories.boardMembers,
    accounts: repositories.accounts,
  });

  const follows = new FollowService({ follows: repositories.follows, accounts: repositories.accounts, boardCards: boards });

  const storage = new LocalBlobStorage(`${config.dataDir}/media`);
  const media = new MediaService({ images: repositories.images, storage, ids, limits: config.images });
  const boardPages = new BoardPageIds({ cache: background.cache, pins: repositories.pins, bypass: () => rowWrites.wroteCachedRows() });
  const pins = new PinService({ pins: repositories.pins, reader: pinReader, boardPages, boards, media, ids, transaction: pinTransactions(db) });

  const experimentParts = wireExperiments({
    db,
    ids,
    accounts: repositories.accounts,
    refreshMs: config.experimentsRefreshMs,
    background,
    pipeline: { idleMs: config.changePollMs, retentionDays: config.changeRetentionDays },
    logger: options.logger,
  });

  const search = new SearchService({ search: repositories.search, boardCards: boards, pinDetails: pinReader });
  const publicSearch = new PublicSearchService({ search: repositories.publicSearch, pinDetails: pinReader });
  const profiles = new ProfileService({ profiles: new ProfileRepository(db), accounts: repositories.accounts, boardCards: boards, pinDetails: pinReader });

  const relatedPinsParts = wireRelatedPins({
    db,
    settings: config.relatedPins,
    pins,
    experiments: experimentParts.experiments,
    registry: metrics.registry,
    logger: options.logger,
  });

  const timelineParts = wireFollowingTimelines({ config, db, background, registry: metrics.registry, logger: options.logger });
  const engagementEvents = new EngagementEventsService({ events: new EngagementEventsRepository(db), ids });

  const homeFeedParts = wireHomeFeed({
    db,
    cache: background.cache,
    changes: background.changes,
    registry: metrics.registry,
    pins: pinReader,
    experiments: experimentParts.experiments,
    pickedRate: config.homeFeed.pickedRate,
    timeline: timelineParts.timeline,
    related: relatedPinsParts.service,
    logger: options.logger,
  });

  const { experiments, admin: experimentAdmin, results: experimentResults } = experimentParts;
  const services = { accounts, tokens, sessions, boards, boardSections, boardMembers, follows, media, pins, search, publicSearch, profiles, experiments, experimentAdmin, experimentResults, homeFeed: homeFeedParts.service, followingTimeline: timelineParts.timeline, engagementEvents, relatedPins: relatedPinsParts.service };

  background.addPeriodic('purge-idempotency-keys', 3600_000, async () => {
    await repositories.idempotency.deleteOlderThan(new Date(Date.now() - config.idempotencyRetentionHours * 3600_000));
  });
  background.addPeriodic('purge-sessions', 3600_000, async () => {
    await repositories.sessions.deleteEndedBefore(new Date(Date.now() - 24 * 3600_000));
  });
  background.addPeriodic('purge-change-log', 3600_000, async () => {
    await background.logs.purgeChanges(config.changeRetentionDays);
  });
  // Images no pin shows are already unserved; this deletes their rows and files after the grace period.
  background.addPeriodic('collect-unreferenced-images', 600_000, async () => {
    await media.collectUnreferenced();
  });

  return {
    config,
    database,
    db,
    ids,
    metrics,
    /** Password hashing, bounded on the thread pool (tests look at its load). */
    hasher,
    rowWrites,
    repositories,
    services,
    background,
    dependencies,
    experimentParts,
    timelineParts,
    relatedPinsParts,
    /**
     * Starts the background side: the change stream always, jobs and log readers in the worker role,
     * the related-pins graph where the API is served (`api`, default true).
     */
    async start(roles: { worker: boolean; api?: boolean }) {
      await background.start(roles);
      experimentParts.start();
      if (roles.api ?? true) relatedPinsParts.start(background.changes);
    },
    /**
     * Stops the background side and closes Redis and the database, by `deadline` (shutdown): a step
     * still running when its time is up is left behind, and the database's connections are dropped
     * if they are not closed by then. Answers the steps that did not finish in time.
     */
    async close(deadline = new Deadline(CLOSE_DEFAULT_MS)): Promise<string[]> {
      const late: string[] = [];
      // Closing the database comes last and keeps a little time of its own.
      const reserve = () => Math.min(DATABASE_CLOSE_RESERVE_MS, deadline.remaining() / 2);
      const steps: Array<[string, () => Promise<void>]> = [
        ['related pins', () => relatedPinsParts.stop()],
        ['experiments', () => experimentParts.stop()],
        ['background work and the job queue', () => background.stop(deadline.remaining() - reserve())],
        ['timelines', () => timelineParts.stop()],
      ];
      for (const [name, stop] of steps) if (!(await deadline.within(stop(), reserve()))) late.push(name);
      const closing = database.close();
      if (!(await deadline.within(closing, ABORT_GRACE_MS))) {
        late.push('database');
        database.abort();
        await deadline.within(closing);
      }
      return late;
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
