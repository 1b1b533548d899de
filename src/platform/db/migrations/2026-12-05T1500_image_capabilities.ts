// Image URLs become capabilities, and images live only as long as a pin shows them.
//
// - images.capability: 192 random bits (URL-safe base64, 32 characters) naming the image in its URL,
//   /media/images/<capability>/<size>.jpg. Ids are time-ordered and guessable; this is neither.
// - images.owner_id: who uploaded the bytes. Uploads are deduplicated within one owner only, so
//   uploading someone else's bytes never answers their image. Not a foreign key: an image outlives
//   its uploader while other people's saves still show it. Images stored before this migration have
//   no owner (nothing deduplicates against them); two people who uploaded the same bytes before it
//   keep sharing one image, as they did.
// - images.unreferenced_at: set when the last pin showing the image goes (deleted, or its board
//   deleted), cleared if a pin shows it again. Only images with no such mark are served, and the
//   worker deletes rows and files once the mark is older than IMAGE_GC_GRACE_HOURS.
//
// Triggers on pins keep the mark exact whatever deletes the pins (the API, a board's cascade, an
// operator's psql). Both sides lock the image rows they look at (FOR NO KEY UPDATE, which does not
// block the foreign-key checks of pin inserts) before reading with a fresh snapshot, so a pin
// inserted while the last other pin of its image is deleted can never leave the image marked: the
// later of the two sees the earlier one's committed work.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

const BACKFILL_BATCH = 10_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE images
      ADD COLUMN owner_id bigint,
      ADD COLUMN capability text,
      ADD COLUMN unreferenced_at timestamptz;
    -- Finding the pins of an image: every delete of a pin asks, and so does collection.
    CREATE INDEX pins_image_idx ON pins (image_id);
  `.execute(db);

  // Capabilities are drawn here, from Node's CSPRNG, like every new one (media/image-capability.ts).
  for (let after = '-1'; ; ) {
    const { rows } = await sql<{ id: string }>`
      SELECT id::text AS id FROM images WHERE id > ${after}::bigint ORDER BY id LIMIT ${BACKFILL_BATCH}`.execute(db);
    if (rows.length === 0) break;
    const ids = rows.map((row) => row.id);
    const capabilities = ids.map(() => randomBytes(24).toString('base64url'));
    await sql`
      UPDATE images SET capability = batch.capability
      FROM unnest(${ids}::bigint[], ${capabilities}::text[]) AS batch (id, capability)
      WHERE images.id = batch.id`.execute(db);
    after = ids[ids.length - 1] as string;
  }

  await sql`
    ALTER TABLE images ALTER COLUMN capability SET NOT NULL;
    ALTER TABLE images DROP CONSTRAINT images_sha256_key;
    UPDATE images SET unreferenced_at = now() WHERE NOT EXISTS (SELECT 1 FROM pins WHERE pins.image_id = images.id);

    -- Serving looks images up here: an unreferenced image is not in the index, so it is found exactly
    -- as often, and as fast, as a capability never issued.
    CREATE UNIQUE INDEX images_live_capability_key ON images (capability) WHERE unreferenced_at IS NULL;
    -- One live image per owner and bytes (an owner's re-upload reuses it); NULL owners never match.
    CREATE UNIQUE INDEX images_live_owner_sha256_key ON images (owner_id, sha256) WHERE unreferenced_at IS NULL;
    CREATE INDEX images_unreferenced_idx ON images (unreferenced_at) WHERE unreferenced_at IS NOT NULL;

    CREATE FUNCTION images_release(released bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM images WHERE id = ANY (released) ORDER BY id FOR NO KEY UPDATE;
      UPDATE images SET unreferenced_at = now()
      WHERE id = ANY (released) AND unreferenced_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM pins WHERE pins.image_id = images.id);
    END $$;

    CREATE FUNCTION images_reference(referenced bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM images WHERE id = ANY (referenced) ORDER BY id FOR NO KEY UPDATE;
      UPDATE images SET unreferenced_at = NULL WHERE id = ANY (referenced) AND unreferenced_at IS NOT NULL;
    END $$;

    CREATE FUNCTION images_pins_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM images_release(ARRAY(SELECT DISTINCT image_id FROM old_rows));
      RETURN NULL;
    END $$;
    CREATE TRIGGER pins_images_delete AFTER DELETE ON pins
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION images_pins_deleted();

    -- Bulk loads (the dataset generator) write live images and skip this, as they skip the change log.
    CREATE FUNCTION images_pins_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF change_log_skipped() THEN RETURN NULL; END IF;
      PERFORM images_reference(ARRAY(SELECT DISTINCT image_id FROM new_rows));
      RETURN NULL;
    END $$;
    CREATE TRIGGER pins_images_insert AFTER INSERT ON pins
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION images_pins_inserted();

    -- Corkboard never changes a pin's image; an operator's edit still keeps the marks right.
    CREATE FUNCTION images_pin_image_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM images_reference(ARRAY[NEW.image_id]);
      PERFORM images_release(ARRAY[OLD.image_id]);
      RETURN NULL;
    END $$;
    CREATE TRIGGER pins_images_update AFTER UPDATE OF image_id ON pins
      FOR EACH ROW WHEN (OLD.image_id IS DISTINCT FROM NEW.image_id) EXECUTE FUNCTION images_pin_image_changed();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Before this migration bytes were stored once for everybody: fold images of the same bytes into
  // the oldest (their files stay behind on disk), then restore the single key.
  await sql`
    DROP TRIGGER pins_images_update ON pins;
    DROP TRIGGER pins_images_insert ON pins;
    DROP TRIGGER pins_images_delete ON pins;
    DROP FUNCTION images_pin_image_changed(), images_pins_inserted(), images_pins_deleted();
    DROP FUNCTION images_reference(bigint[]), images_release(bigint[]);
    DROP INDEX images_unreferenced_idx, images_live_owner_sha256_key, images_live_capability_key;
    WITH kept AS (SELECT sha256, min(id) AS id FROM images GROUP BY sha256 HAVING count(*) > 1)
    UPDATE pins SET image_id = kept.id FROM images, kept
    WHERE pins.image_id = images.id AND images.sha256 = kept.sha256 AND images.id <> kept.id;
    DELETE FROM images USING (SELECT sha256, min(id) AS id FROM images GROUP BY sha256 HAVING count(*) > 1) AS kept
    WHERE images.sha256 = kept.sha256 AND images.id <> kept.id;
    ALTER TABLE images ADD CONSTRAINT images_sha256_key UNIQUE (sha256);
    DROP INDEX pins_image_idx;
    ALTER TABLE images DROP COLUMN unreferenced_at, DROP COLUMN capability, DROP COLUMN owner_id;
  `.execute(db);
}
