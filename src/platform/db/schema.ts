// Row types of every table, as Kysely sees them. bigint columns arrive as decimal strings (node-postgres
// returns int8 as text), which is exactly the v5 ID format.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Counter = ColumnType<number, number | undefined, number>;

export type BoardPrivacy = 'PUBLIC' | 'PROTECTED' | 'SECRET';
export type CollaboratorRole = 'viewer' | 'editor';

export interface UsersTable {
  id: string;
  username: string;
  /** Null when the address given at sign-up was already registered to another account. */
  email: string | null;
  password_hash: string;
  about: Generated<string>;
  website_url: Generated<string>;
  profile_image: string | null;
  business_name: string | null;
  account_type: Generated<'PINNER' | 'BUSINESS'>;
  is_admin: Generated<boolean>;
  board_count: Counter;
  public_board_count: Counter;
  pin_count: Counter;
  public_pin_count: Counter;
  follower_count: Counter;
  following_count: Counter;
  created_at: CreatedAt;
}

export interface OauthTokensTable {
  id: string;
  /** The id of the first token of the sign-in this one descends from by refreshes. */
  family_id: string;
  user_id: string;
  access_token_hash: string;
  refresh_token_hash: string | null;
  scopes: string[];
  access_expires_at: Date;
  refresh_expires_at: Date | null;
  revoked_at: Date | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  scopes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  created_at: CreatedAt;
}

export interface BoardsTable {
  id: string;
  owner_id: string;
  name: string;
  description: string | null;
  privacy: BoardPrivacy;
  pin_count: Counter;
  follower_count: Counter;
  collaborator_count: Counter;
  created_at: CreatedAt;
  board_pins_modified_at: ColumnType<Date, Date | string | undefined, Date | string>;
  search_vector: ColumnType<string, never, never>;
}

export interface BoardSectionsTable {
  id: string;
  board_id: string;
  name: string;
  pin_count: Counter;
  created_at: CreatedAt;
}

export interface BoardCollaboratorsTable {
  board_id: string;
  user_id: string;
  role: CollaboratorRole;
  invited_by: string | null;
  created_at: CreatedAt;
}

export interface ImagesTable {
  id: string;
  /** The random segment of the image's URLs (see media/image-capability.ts). */
  capability: string;
  /** Who uploaded the bytes (deduplication is per owner); null for images stored without one. */
  owner_id: string | null;
  sha256: string;
  width: number;
  height: number;
  content_type: string;
  dominant_color: string;
  byte_size: number;
  created_at: CreatedAt;
  /** When the last pin showing the image went; such an image is not served and is collected later. */
  unreferenced_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PinsTable {
  id: string;
  owner_id: string;
  board_id: string;
  board_section_id: string | null;
  image_id: string;
  parent_pin_id: string | null;
  title: string | null;
  description: string | null;
  link: string | null;
  alt_text: string | null;
  dominant_color: string | null;
  save_count: Counter;
  created_at: CreatedAt;
  search_vector: ColumnType<string, never, never>;
}

export interface UserFollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: CreatedAt;
}

export interface BoardFollowsTable {
  user_id: string;
  board_id: string;
  created_at: CreatedAt;
}

/** A person a user unfollowed (and has not followed again): their pins stay out of the user's home feed. */
export interface UserUnfollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: CreatedAt;
}

/** A board a user unfollowed (and has not followed again). */
export interface BoardUnfollowsTable {
  user_id: string;
  board_id: string;
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  fingerprint: string;
  status_code: number | null;
  response_body: string | null;
  /** The scopes of the token that made the first request; a replay needs all of them. */
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** xid8 values travel as decimal strings. */
type Xid = ColumnType<string, never, never>;

export interface ChangeLogTable {
  id: Generated<string>;
  xid: Xid;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: CreatedAt;
}

export interface LogConsumersTable {
  name: string;
  last_xid: ColumnType<string, string | undefined, string>;
  last_id: ColumnType<string, string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type EngagementKind = 'impression' | 'closeup' | 'save' | 'click' | 'hide';

export interface EngagementEventsTable {
  id: string;
  xid: Xid;
  user_id: string;
  pin_id: string | null;
  kind: EngagementKind;
  surface: string | null;
  client_event_id: string | null;
  occurred_at: ColumnType<Date, Date | string, never>;
  created_at: CreatedAt;
}

export interface JobsTable {
  id: Generated<string>;
  name: string;
  payload: ColumnType<unknown, string, string>;
  dedupe_key: string | null;
  status: ColumnType<'waiting' | 'active' | 'dead', 'waiting' | 'active' | 'dead' | undefined, 'waiting' | 'active' | 'dead'>;
  attempts: Counter;
  max_attempts: number;
  backoff_ms: number;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_error: string | null;
  created_at: CreatedAt;
}

/** One variation of an experiment as stored: `value` is any JSON the product reads. */
export interface ExperimentVariationColumn {
  key: string;
  name: string;
  value: unknown;
}

export interface ExperimentsTable {
  id: string;
  key: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  status: ColumnType<'draft' | 'running' | 'stopped', 'draft' | 'running' | 'stopped' | undefined, 'draft' | 'running' | 'stopped'>;
  /** jsonb: written as JSON text. */
  variations: ColumnType<ExperimentVariationColumn[], string, string>;
  weights: number[];
  coverage: number;
  hash_attribute: string;
  seed: string;
  hash_version: number;
  condition: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  namespace_name: string | null;
  namespace_start: number | null;
  namespace_end: number | null;
  holdout_share: number | null;
  holdout_experiment_key: string | null;
  forced_variations: ColumnType<Record<string, number>, string, string>;
  metrics: string[];
  phase_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  stopped_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  archived_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ExperimentConfigVersionTable {
  singleton: boolean;
  version: ColumnType<string, string | number, string | number>;
}

export interface ExperimentExposuresTable {
  experiment_id: string;
  user_id: string;
  variation_index: number;
  first_exposed_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ExperimentExposureEventsTable {
  id: Generated<string>;
  xid: Xid;
  experiment_id: string;
  user_id: string;
  variation_index: number;
  exposed_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface UserActivityTable {
  user_id: string;
  last_active_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface FeedTimelineHeadsTable {
  user_id: string;
  built: ColumnType<boolean, boolean | undefined, boolean>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface FeedTimelinesTable {
  user_id: string;
  pin_id: string;
  score: number;
}

export interface Database {
  users: UsersTable;
  oauth_tokens: OauthTokensTable;
  sessions: SessionsTable;
  boards: BoardsTable;
  board_sections: BoardSectionsTable;
  board_collaborators: BoardCollaboratorsTable;
  images: ImagesTable;
  pins: PinsTable;
  user_follows: UserFollowsTable;
  board_follows: BoardFollowsTable;
  user_unfollows: UserUnfollowsTable;
  board_unfollows: BoardUnfollowsTable;
  idempotency_keys: IdempotencyKeysTable;
  change_log: ChangeLogTable;
  log_consumers: LogConsumersTable;
  engagement_events: EngagementEventsTable;
  jobs: JobsTable;
  experiments: ExperimentsTable;
  experiment_config_version: ExperimentConfigVersionTable;
  experiment_exposures: ExperimentExposuresTable;
  experiment_exposure_events: ExperimentExposureEventsTable;
  user_activity: UserActivityTable;
  feed_timeline_heads: FeedTimelineHeadsTable;
  feed_timelines: FeedTimelinesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
/** What anyone may be shown of a user: caches and GraphQL hold only this, never the credentials. */
export type PublicUserRow = Omit<UserRow, 'email' | 'password_hash' | 'is_admin'>;
/** A board row without its search vector (which only search reads). */
export type BoardRow = Omit<Selectable<BoardsTable>, 'search_vector'>;
export type BoardUpdate = Updateable<BoardsTable>;
export type BoardSectionRow = Selectable<BoardSectionsTable>;
export type PinRow = Selectable<PinsTable>;
export type ImageRow = Selectable<ImagesTable>;
export type OauthTokenRow = Selectable<OauthTokensTable>;
export type SessionRow = Selectable<SessionsTable>;
