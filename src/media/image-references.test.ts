// An image is served while some pin shows it and marked unreferenced the moment none does, whatever
// removes the pins and however transactions interleave (the triggers of migration 2026-12-05T1500).
// These interleave real transactions: on PostgreSQL they overlap; PGlite runs them one after the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import type { Tx } from '../platform/db/database.js';
import { newImageCapability } from './image-capability.js';
import { makeBoard } from '../pins/pin-test-support.js';

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('image reference marks', () => {
  let t: TestApp;
  let owner: TestUser;
  let board: string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp('owner');
    board = await makeBoard(t, owner, 'Pins');
  });
  afterAll(async () => t.close());

  async function newImage(): Promise<string> {
    const id = t.container.ids.next();
    await t.container.db
      .insertInto('images')
      .values({ id, capability: newImageCapability(), owner_id: owner.id, sha256: `sha-${id}`, width: 10, height: 10, content_type: 'image/jpeg', dominant_color: '#000000', byte_size: 1 })
      .execute();
    return id;
  }

  async function newPin(imageId: string, db: Tx | TestApp['container']['db'] = t.container.db): Promise<string> {
    const id = t.container.ids.next();
    await db.insertInto('pins').values({ id, owner_id: owner.id, board_id: board, image_id: imageId }).execute();
    return id;
  }

  async function marked(imageId: string): Promise<boolean> {
    const row = await t.container.db.selectFrom('images').select('unreferenced_at').where('id', '=', imageId).executeTakeFirstOrThrow();
    return row.unreferenced_at !== null;
  }

  /**
   * Runs `first` in a transaction that stays open until `second` (in its own transaction) has had
   * time to run into it, then commits both.
   */
  async function overlap(first: (tx: Tx) => Promise<unknown>, second: (tx: Tx) => Promise<unknown>): Promise<void> {
    const firstDone = gate();
    const release = gate();
    const one = t.container.db.transaction().execute(async (tx) => {
      await first(tx);
      firstDone.open();
      await release.opened;
    });
    await firstDone.opened;
    const two = t.container.db.transaction().execute(async (tx) => second(tx));
    await pause(150);
    release.open();
    await Promise.all([one, two]);
  }

  it('marks an image when its last two pins are deleted by overlapping transactions', async () => {
    const image = await newImage();
    const [a, b] = [await newPin(image), await newPin(image)];
    await overlap(
      (tx) => tx.deleteFrom('pins').where('id', '=', a).execute(),
      (tx) => tx.deleteFrom('pins').where('id', '=', b).execute(),
    );
    expect(await marked(image)).toBe(true);
  });

  it('keeps an image live when a pin of it is inserted while its last other pin is deleted, in either order', async () => {
    const image = await newImage();
    const only = await newPin(image);
    await overlap(
      (tx) => tx.deleteFrom('pins').where('id', '=', only).execute(),
      (tx) => newPin(image, tx),
    );
    expect(await marked(image)).toBe(false);

    const other = await newImage();
    const last = await newPin(other);
    await overlap(
      (tx) => newPin(other, tx),
      (tx) => tx.deleteFrom('pins').where('id', '=', last).execute(),
    );
    expect(await marked(other)).toBe(false);
  });

  it('follows an operator moving a pin to another image', async () => {
    const [from, to] = [await newImage(), await newImage()];
    const pin = await newPin(from);
    await t.container.db.deleteFrom('pins').where('image_id', '=', to).execute();
    expect(await marked(to)).toBe(false); // never had a pin: inserted live, left alone
    await t.container.db.updateTable('images').set({ unreferenced_at: new Date() }).where('id', '=', to).execute();
    await t.container.db.updateTable('pins').set({ image_id: to }).where('id', '=', pin).execute();
    expect([await marked(from), await marked(to)]).toEqual([true, false]);
  });
});
