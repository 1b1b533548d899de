// The migrations, in order. Listed by import rather than read from the folder at run time, so they
// load the same under tsx, vitest and compiled JavaScript. Add a new file's import at the end.
import type { Migration } from 'kysely';
import * as initial from './2026-11-22T0300_initial.js';
import * as searchWeights from './2026-11-22T0400_search_weights.js';
import * as changeLogEventsJobs from './2026-11-22T0500_change_log_events_jobs.js';
import * as experiments from './2026-11-22T0700_experiments.js';
import * as feedTimelines from './2026-11-22T0800_feed_timelines.js';
import * as homeFeedTopicBoards from './2026-11-22T0900_home_feed_topic_boards.js';
import * as foreignKeyIndexes from './2026-11-28T0100_foreign_key_indexes.js';
import * as experimentExposureEvents from './2026-11-28T0200_experiment_exposure_events.js';
import * as rowChangeLog from './2026-11-28T0300_row_change_log.js';
import * as tokenFamilies from './2026-12-05T0100_token_families.js';
import * as imageCapabilities from './2026-12-05T1500_image_capabilities.js';
import * as unfollows from './2026-12-05T1600_unfollows.js';
import * as idempotencyScopesUnclaimedEmails from './2026-12-05T1700_idempotency_scopes_unclaimed_emails.js';
import * as sessions from './2026-12-05T1800_sessions.js';
import * as tokenRowChanges from './2026-12-05T1930_token_row_changes.js';
import * as rowInsertsLogged from './2026-12-06T0100_row_inserts_logged.js';
import * as publicSearch from './2026-12-06T0200_public_search.js';

export const migrations: Record<string, Migration> = {
  '2026-11-22T0300_initial': initial,
  '2026-11-22T0400_search_weights': searchWeights,
  '2026-11-22T0500_change_log_events_jobs': changeLogEventsJobs,
  '2026-11-22T0700_experiments': experiments,
  '2026-11-22T0800_feed_timelines': feedTimelines,
  '2026-11-22T0900_home_feed_topic_boards': homeFeedTopicBoards,
  '2026-11-28T0100_foreign_key_indexes': foreignKeyIndexes,
  '2026-11-28T0200_experiment_exposure_events': experimentExposureEvents,
  '2026-11-28T0300_row_change_log': rowChangeLog,
  '2026-12-05T0100_token_families': tokenFamilies,
  '2026-12-05T1500_image_capabilities': imageCapabilities,
  '2026-12-05T1600_unfollows': unfollows,
  '2026-12-05T1700_idempotency_scopes_unclaimed_emails': idempotencyScopesUnclaimedEmails,
  '2026-12-05T1800_sessions': sessions,
  '2026-12-05T1930_token_row_changes': tokenRowChanges,
  '2026-12-06T0100_row_inserts_logged': rowInsertsLogged,
  '2026-12-06T0200_public_search': publicSearch,
};
