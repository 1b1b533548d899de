// Who someone unfollowed: one row per person or board a user unfollowed, until they follow it again.
// The home feed leaves out, from both of its pools, the pins of the people and boards a viewer
// unfollowed: an unfollow is the clearest "not this" a person can say, and the picked-for-you pool
// would otherwise bring those pins straight back. Kept by triggers on the follow tables, in the
// follow's own transaction, so every path that unfollows (the API, a board or account deletion, an
// operator's SQL) is covered: a follow removed because its board or account was deleted is no one's
// choice and is not recorded; following again deletes the row. Bulk loads (corkboard.skip_change_log)
// skip it like the change log.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE user_unfollows (
      follower_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      followee_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (follower_id, followee_id)
    );
    CREATE INDEX user_unfollows_followee_idx ON user_unfollows (followee_id);

    CREATE TABLE board_unfollows (
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      board_id bigint NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, board_id)
    );
    CREATE INDEX board_unfollows_board_idx ON board_unfollows (board_id);

    CREATE FUNCTION record_user_unfollow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF coalesce(current_setting('corkboard.skip_change_log', true), '') = 'on' THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        DELETE FROM user_unfollows WHERE follower_id = NEW.follower_id AND followee_id = NEW.followee_id;
      ELSIF EXISTS (SELECT 1 FROM users WHERE id = OLD.follower_id) AND EXISTS (SELECT 1 FROM users WHERE id = OLD.followee_id) THEN
        INSERT INTO user_unfollows (follower_id, followee_id) VALUES (OLD.follower_id, OLD.followee_id)
        ON CONFLICT (follower_id, followee_id) DO UPDATE SET created_at = now();
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER user_follows_unfollows AFTER INSERT OR DELETE
      ON user_follows FOR EACH ROW EXECUTE FUNCTION record_user_unfollow();

    CREATE FUNCTION record_board_unfollow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF coalesce(current_setting('corkboard.skip_change_log', true), '') = 'on' THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        DELETE FROM board_unfollows WHERE user_id = NEW.user_id AND board_id = NEW.board_id;
      ELSIF EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) AND EXISTS (SELECT 1 FROM boards WHERE id = OLD.board_id) THEN
        INSERT INTO board_unfollows (user_id, board_id) VALUES (OLD.user_id, OLD.board_id)
        ON CONFLICT (user_id, board_id) DO UPDATE SET created_at = now();
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER board_follows_unfollows AFTER INSERT OR DELETE
      ON board_follows FOR EACH ROW EXECUTE FUNCTION record_board_unfollow();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER board_follows_unfollows ON board_follows;
    DROP TRIGGER user_follows_unfollows ON user_follows;
    DROP FUNCTION record_board_unfollow(), record_user_unfollow();
    DROP TABLE board_unfollows, user_unfollows;
  `.execute(db);
}
