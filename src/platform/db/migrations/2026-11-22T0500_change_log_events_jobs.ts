// Three durable logs the background side of Corkboard runs on:
// - change_log: one row per change of the pin-board-follow graph, written by triggers in the same
//   transaction as the change, so a committed pin can never miss its fan-out, and a crash between the
//   commit and the fan-out loses nothing. Readers follow it in (xid, id) order below the oldest
//   running transaction (see platform/changes), which is the order transactions became final.
// - engagement_events: impressions, close-ups, saves, clicks and hides sent by clients.
// - jobs: the embedded job queue (used when no Redis is configured), leased with SKIP LOCKED.
// Bulk loaders set `corkboard.skip_change_log = on` for their transaction: a generated dataset is not
// news to anyone's feed.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE change_log (
      id bigserial PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      kind text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX change_log_order_idx ON change_log (xid, id);
    CREATE INDEX change_log_created_idx ON change_log (created_at);

    CREATE TABLE log_consumers (
      name text PRIMARY KEY,
      last_xid xid8 NOT NULL DEFAULT '0'::xid8,
      last_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE FUNCTION change_log_skipped() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce(current_setting('corkboard.skip_change_log', true), '') = 'on'
    $$;

    CREATE FUNCTION change_log_pins() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF change_log_skipped() THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        INSERT INTO change_log (kind, payload) VALUES ('pin.created', jsonb_build_object(
          'pinId', NEW.id::text, 'boardId', NEW.board_id::text, 'ownerId', NEW.owner_id::text,
          'parentPinId', NEW.parent_pin_id::text));
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO change_log (kind, payload) VALUES ('pin.deleted', jsonb_build_object(
          'pinId', OLD.id::text, 'boardId', OLD.board_id::text, 'ownerId', OLD.owner_id::text,
          'parentPinId', OLD.parent_pin_id::text));
      ELSIF NEW.board_id <> OLD.board_id THEN
        INSERT INTO change_log (kind, payload) VALUES ('pin.moved', jsonb_build_object(
          'pinId', NEW.id::text, 'fromBoardId', OLD.board_id::text, 'toBoardId', NEW.board_id::text,
          'ownerId', NEW.owner_id::text));
      ELSE
        INSERT INTO change_log (kind, payload) VALUES ('pin.updated', jsonb_build_object(
          'pinId', NEW.id::text, 'boardId', NEW.board_id::text));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER pins_change_log AFTER INSERT OR DELETE OR UPDATE OF board_id, title, description, link, alt_text
      ON pins FOR EACH ROW EXECUTE FUNCTION change_log_pins();

    CREATE FUNCTION change_log_boards() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF change_log_skipped() THEN RETURN NULL; END IF;
      IF TG_OP = 'DELETE' THEN
        INSERT INTO change_log (kind, payload) VALUES ('board.deleted', jsonb_build_object(
          'boardId', OLD.id::text, 'ownerId', OLD.owner_id::text));
      ELSIF NEW.privacy <> OLD.privacy THEN
        INSERT INTO change_log (kind, payload) VALUES ('board.privacy_changed', jsonb_build_object(
          'boardId', NEW.id::text, 'ownerId', NEW.owner_id::text, 'from', OLD.privacy, 'to', NEW.privacy));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER boards_change_log AFTER DELETE OR UPDATE OF privacy
      ON boards FOR EACH ROW EXECUTE FUNCTION change_log_boards();

    CREATE FUNCTION change_log_user_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF change_log_skipped() THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        INSERT INTO change_log (kind, payload) VALUES ('user.followed', jsonb_build_object(
          'followerId', NEW.follower_id::text, 'followeeId', NEW.followee_id::text));
      ELSE
        INSERT INTO change_log (kind, payload) VALUES ('user.unfollowed', jsonb_build_object(
          'followerId', OLD.follower_id::text, 'followeeId', OLD.followee_id::text));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER user_follows_change_log AFTER INSERT OR DELETE
      ON user_follows FOR EACH ROW EXECUTE FUNCTION change_log_user_follows();

    CREATE FUNCTION change_log_board_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF change_log_skipped() THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        INSERT INTO change_log (kind, payload) VALUES ('board.followed', jsonb_build_object(
          'followerId', NEW.user_id::text, 'boardId', NEW.board_id::text));
      ELSE
        INSERT INTO change_log (kind, payload) VALUES ('board.unfollowed', jsonb_build_object(
          'followerId', OLD.user_id::text, 'boardId', OLD.board_id::text));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER board_follows_change_log AFTER INSERT OR DELETE
      ON board_follows FOR EACH ROW EXECUTE FUNCTION change_log_board_follows();

    CREATE TABLE engagement_events (
      id bigint PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      pin_id bigint,
      kind text NOT NULL CHECK (kind IN ('impression', 'closeup', 'save', 'click', 'hide')),
      surface text,
      client_event_id text,
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX engagement_events_order_idx ON engagement_events (xid, id);
    CREATE INDEX engagement_events_user_idx ON engagement_events (user_id, created_at);
    CREATE INDEX engagement_events_pin_idx ON engagement_events (pin_id, kind) WHERE pin_id IS NOT NULL;
    -- A client retrying a batch sends the same client_event_id: stored once.
    CREATE UNIQUE INDEX engagement_events_client_idx ON engagement_events (user_id, client_event_id)
      WHERE client_event_id IS NOT NULL;

    CREATE TABLE jobs (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      payload jsonb NOT NULL,
      dedupe_key text UNIQUE,
      status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'active', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL,
      backoff_ms integer NOT NULL,
      run_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX jobs_ready_idx ON jobs (run_at) WHERE status <> 'dead';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE jobs, engagement_events, log_consumers, change_log;
    DROP TRIGGER pins_change_log ON pins;
    DROP TRIGGER boards_change_log ON boards;
    DROP TRIGGER user_follows_change_log ON user_follows;
    DROP TRIGGER board_follows_change_log ON board_follows;
    DROP FUNCTION change_log_pins(), change_log_boards(), change_log_user_follows(), change_log_board_follows(),
      change_log_skipped();
  `.execute(db);
}
