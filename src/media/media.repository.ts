// SQL for stored images. An image belongs to the pins that show it: the uploader's pin and every save
// of it. Uploads are deduplicated within one owner only (an owner uploading bytes they already have
// gets that image back), never across owners. Triggers on pins (migration 2026-12-05T1500) mark an
// image `unreferenced_at` when its last pin goes; marked images are not served, and are collected
// here after a grace period.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { ImageRow } from '../platform/db/schema.js';

export interface NewImage {
  id: string;
  capability: string;
  owner_id: string;
  sha256: string;
  width: number;
  height: number;
  content_type: string;
  dominant_color: string;
  byte_size: number;
}

/** Where an image's files are: its id, and the type of its original (which names the original's file). */
export interface ImageFiles {
  id: string;
  content_type: string;
}

export class MediaRepository {
  constructor(private readonly db: Queryable) {}

  /** The owner's live image of these bytes, if any (images no pin shows are never reused). */
  async findLiveOfOwner(ownerId: string, sha256: string): Promise<ImageRow | undefined> {
    return this.db
      .selectFrom('images')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('sha256', '=', sha256)
      .where('unreferenced_at', 'is', null)
      .executeTakeFirst();
  }

  /**
   * The image a capability names, if some pin shows it. One probe of a partial index that holds only
   * such images: a capability never issued, an image no pin shows and one already collected all miss
   * it the same way.
   */
  async findServable(capability: string): Promise<ImageFiles | undefined> {
    return this.db
      .selectFrom('images')
      .select(['id', 'content_type'])
      .where('capability', '=', capability)
      .where('unreferenced_at', 'is', null)
      .executeTakeFirst();
  }

  /**
   * Inserts the image, or returns the owner's live image of the same bytes. When two uploads of the
   * same bytes by one owner race, the second insert waits for the first to commit and then finds its
   * row, so neither fails; the caller can tell it lost because the returned id differs from `image.id`.
   */
  async insertOrGet(image: NewImage): Promise<ImageRow> {
    const inserted = await this.db
      .insertInto('images')
      .values(image)
      .onConflict((oc) => oc.columns(['owner_id', 'sha256']).where('unreferenced_at', 'is', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
    const existing = await this.findLiveOfOwner(image.owner_id, image.sha256);
    // Only reachable if the winning image lost its last pin in between.
    if (!existing) throw new Error(`image ${image.sha256} of ${image.owner_id} vanished between insert and read`);
    return existing;
  }

  /**
   * Collects up to `limit` images that no pin has shown for `graceHours`: locks them (skipping any a
   * pin insert or another collector holds), lets `removeFiles` delete their files, then deletes the
   * rows, all in one transaction. Should it fail after the files went, the rows stay marked (never
   * served) and the next run deletes again. Returns the images collected.
   */
  async collectUnreferenced(
    graceHours: number,
    limit: number,
    removeFiles: (images: ImageFiles[]) => Promise<void>,
  ): Promise<ImageFiles[]> {
    const run = async (db: Queryable): Promise<ImageFiles[]> => {
      const due = await db
        .selectFrom('images')
        .select(['id', 'content_type'])
        .where('unreferenced_at', '<', sql<Date>`now() - make_interval(hours => ${graceHours})`)
        // Marks are exact (the triggers); this is a second opinion before anything is deleted.
        .where((eb) => eb.not(eb.exists(eb.selectFrom('pins').select('pins.id').whereRef('pins.image_id', '=', 'images.id'))))
        .orderBy('unreferenced_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return due;
      await removeFiles(due);
      await db.deleteFrom('images').where('id', 'in', due.map((image) => image.id)).execute();
      return due;
    };
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
  }
}
