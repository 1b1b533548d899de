// The core platform's schema: accounts and tokens, boards with sections and collaborators, images,
// pins and saves, follows, and idempotency records. Counters shown in the API are columns updated in
// the same transaction as the rows they count (atomic `x = x + 1` updates), so they stay exact under
// concurrent writes; `public_*` counters count only what other people may see.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id bigint PRIMARY KEY,
      username text NOT NULL,
      email text NOT NULL,
      password_hash text NOT NULL,
      about text NOT NULL DEFAULT '',
      website_url text NOT NULL DEFAULT '',
      profile_image text,
      business_name text,
      account_type text NOT NULL DEFAULT 'PINNER' CHECK (account_type IN ('PINNER', 'BUSINESS')),
      is_admin boolean NOT NULL DEFAULT false,
      board_count integer NOT NULL DEFAULT 0 CHECK (board_count >= 0),
      public_board_count integer NOT NULL DEFAULT 0 CHECK (public_board_count >= 0),
      pin_count integer NOT NULL DEFAULT 0 CHECK (pin_count >= 0),
      public_pin_count integer NOT NULL DEFAULT 0 CHECK (public_pin_count >= 0),
      follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
      following_count integer NOT NULL DEFAULT 0 CHECK (following_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_username_key ON users (lower(username));
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));

    CREATE TABLE oauth_tokens (
      id bigint PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      access_token_hash text NOT NULL UNIQUE,
      refresh_token_hash text UNIQUE,
      scopes text[] NOT NULL,
      access_expires_at timestamptz NOT NULL,
      refresh_expires_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX oauth_tokens_user_idx ON oauth_tokens (user_id);

    CREATE TABLE boards (
      id bigint PRIMARY KEY,
      owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name text NOT NULL,
      description text,
      privacy text NOT NULL DEFAULT 'PUBLIC' CHECK (privacy IN ('PUBLIC', 'PROTECTED', 'SECRET')),
      pin_count integer NOT NULL DEFAULT 0 CHECK (pin_count >= 0),
      follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
      collaborator_count integer NOT NULL DEFAULT 0 CHECK (collaborator_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      board_pins_modified_at timestamptz NOT NULL DEFAULT now(),
      search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english', name || ' ' || coalesce(description, ''))
      ) STORED
    );
    CREATE UNIQUE INDEX boards_owner_name_key ON boards (owner_id, lower(name));
    CREATE INDEX boards_owner_idx ON boards (owner_id, id DESC);
    CREATE INDEX boards_search_idx ON boards USING gin (search_vector);

    CREATE TABLE board_sections (
      id bigint PRIMARY KEY,
      board_id bigint NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
      name text NOT NULL,
      pin_count integer NOT NULL DEFAULT 0 CHECK (pin_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX board_sections_board_name_key ON board_sections (board_id, lower(name));

    CREATE TABLE board_collaborators (
      board_id bigint NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('viewer', 'editor')),
      invited_by bigint REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (board_id, user_id)
    );
    CREATE INDEX board_collaborators_user_idx ON board_collaborators (user_id);

    CREATE TABLE images (
      id bigint PRIMARY KEY,
      sha256 text NOT NULL UNIQUE,
      width integer NOT NULL,
      height integer NOT NULL,
      content_type text NOT NULL,
      dominant_color text NOT NULL,
      byte_size integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE pins (
      id bigint PRIMARY KEY,
      owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      board_id bigint NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
      board_section_id bigint REFERENCES board_sections (id) ON DELETE SET NULL,
      image_id bigint NOT NULL REFERENCES images (id),
      parent_pin_id bigint REFERENCES pins (id) ON DELETE SET NULL,
      title text,
      description text,
      link text,
      alt_text text,
      dominant_color text,
      save_count integer NOT NULL DEFAULT 0 CHECK (save_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english',
          coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(alt_text, ''))
      ) STORED
    );
    CREATE INDEX pins_board_idx ON pins (board_id, id DESC);
    CREATE INDEX pins_section_idx ON pins (board_section_id, id DESC) WHERE board_section_id IS NOT NULL;
    CREATE INDEX pins_owner_idx ON pins (owner_id, id DESC);
    CREATE INDEX pins_parent_idx ON pins (parent_pin_id) WHERE parent_pin_id IS NOT NULL;
    CREATE INDEX pins_search_idx ON pins USING gin (search_vector);
    -- One save of a given pin per board: concurrent saves of the same pin onto the same board
    -- collapse into one row.
    CREATE UNIQUE INDEX pins_one_save_per_board ON pins (board_id, parent_pin_id) WHERE parent_pin_id IS NOT NULL;

    CREATE TABLE user_follows (
      follower_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      followee_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (follower_id, followee_id),
      CHECK (follower_id <> followee_id)
    );
    CREATE INDEX user_follows_followee_idx ON user_follows (followee_id, created_at DESC, follower_id DESC);
    CREATE INDEX user_follows_follower_idx ON user_follows (follower_id, created_at DESC, followee_id DESC);

    CREATE TABLE board_follows (
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      board_id bigint NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, board_id)
    );
    CREATE INDEX board_follows_board_idx ON board_follows (board_id);
    CREATE INDEX board_follows_user_idx ON board_follows (user_id, created_at DESC, board_id DESC);

    CREATE TABLE idempotency_keys (
      user_id bigint NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      status_code integer,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, key)
    );
    CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE idempotency_keys, board_follows, user_follows, pins, images, board_collaborators,
      board_sections, boards, oauth_tokens, users;
  `.execute(db);
}
