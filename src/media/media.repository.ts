// SQL for stored images. An image row is shared by every pin that uses the same bytes (sha256 is
// unique), so a popular image is stored once however often it is uploaded or saved.
import type { Queryable } from '../platform/db/database.js';
import type { ImageRow } from '../platform/db/schema.js';

export interface NewImage {
  id: string;
  sha256: string;
  width: number;
  height: number;
  content_type: string;
  dominant_color: string;
  byte_size: number;
}

export class MediaRepository {
  constructor(private readonly db: Queryable) {}

  async findById(id: string): Promise<ImageRow | undefined> {
    return this.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findBySha256(sha256: string): Promise<ImageRow | undefined> {
    return this.db.selectFrom('images').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  }

  /**
   * Inserts the image, or returns the row already stored for the same bytes. When two uploads of the
   * same bytes race, the second insert waits for the first to commit and then finds its row, so
   * neither fails; the caller can tell it lost because the returned id differs from `image.id`.
   */
  async insertOrGet(image: NewImage): Promise<ImageRow> {
    const inserted = await this.db
      .insertInto('images')
      .values(image)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
    const existing = await this.findBySha256(image.sha256);
    // Only reachable if the winning row was deleted in between; images are never deleted today.
    if (!existing) throw new Error(`image ${image.sha256} vanished between insert and read`);
    return existing;
  }
}
