// Experiments: definitions (GrowthBook-compatible: variations, weights, coverage, hash attribute,
// seed and hash version, a targeting condition, a namespace slice for mutual exclusion, a holdout),
// a one-row version counter that every API process polls to notice changes within seconds, and
// exposures: the first time each user was shown a variation of an experiment.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE experiments (
      id bigint PRIMARY KEY,
      key text NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped')),
      -- [{key, name, value}], value being any JSON the product reads.
      variations jsonb NOT NULL,
      weights double precision[] NOT NULL,
      coverage double precision NOT NULL DEFAULT 1 CHECK (coverage >= 0 AND coverage <= 1),
      hash_attribute text NOT NULL DEFAULT 'id',
      seed text NOT NULL,
      hash_version smallint NOT NULL DEFAULT 2 CHECK (hash_version IN (1, 2)),
      -- A GrowthBook targeting condition over user attributes; null targets everyone.
      condition jsonb,
      namespace_name text,
      namespace_start double precision,
      namespace_end double precision,
      holdout_share double precision CHECK (holdout_share >= 0 AND holdout_share < 1),
      holdout_experiment_key text,
      -- {user id: variation index}: QA accounts that always see one variation (and log no exposure).
      forced_variations jsonb NOT NULL DEFAULT '{}',
      metrics text[] NOT NULL DEFAULT '{}',
      phase_started_at timestamptz,
      stopped_at timestamptz,
      archived_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_by bigint REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((namespace_name IS NULL) = (namespace_start IS NULL) AND (namespace_name IS NULL) = (namespace_end IS NULL)),
      CHECK (namespace_start IS NULL OR (namespace_start >= 0 AND namespace_start < namespace_end AND namespace_end <= 1))
    );
    CREATE UNIQUE INDEX experiments_key_key ON experiments (key);
    CREATE INDEX experiments_running_idx ON experiments (key) WHERE status = 'running' AND archived_at IS NULL;

    -- Bumped in the same transaction as every experiment change. The row lock also serializes
    -- experiment writes, so checks across experiments (namespace overlaps) see each other's commits.
    CREATE TABLE experiment_config_version (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version bigint NOT NULL
    );
    INSERT INTO experiment_config_version (singleton, version) VALUES (true, 0);

    CREATE TABLE experiment_exposures (
      experiment_id bigint NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      variation_index smallint NOT NULL CHECK (variation_index >= 0),
      first_exposed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (experiment_id, user_id)
    );
    CREATE INDEX experiment_exposures_time_idx ON experiment_exposures (experiment_id, first_exposed_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE experiment_exposures, experiment_config_version, experiments`.execute(db);
}
