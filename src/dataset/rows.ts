// Renders the plan into table rows, batch by batch and column by column (the shape a bulk
// INSERT ... SELECT FROM unnest(...) wants). Tables are listed parents first, so loading them in this
// order satisfies every foreign key.
import { idAt } from './dataset-ids.js';
import { INTEREST_SLOTS, NO_TOPIC, NONE, PRIVACY_CODES, type DatasetPlan, type TimedRows } from './plan-types.js';
import { hashString } from './prng.js';
import { boardDescription, pinText, userText } from './text.js';

export type ColumnType = 'bigint' | 'text' | 'integer' | 'timestamptz';
export type CellValue = string | number | null;

export interface TableSource {
  table: string;
  columns: ReadonlyArray<{ name: string; type: ColumnType }>;
  count: number;
  /** Rows start .. end-1, as one array of values per column. */
  batch(start: number, end: number): CellValue[][];
}

/** What rendering needs beyond the plan. */
export interface RenderContext {
  /** Stored in every generated account (all share one password). */
  passwordHash: string;
  /** Facts about each processed image, by image index. */
  image(index: number): ImageFacts;
  /** The capability naming each image in its URLs, by image index (random, unlike everything else here). */
  imageCapability(index: number): string;
}

export interface ImageFacts {
  sha256: string;
  width: number;
  height: number;
  contentType: string;
  dominantColor: string;
  byteSize: number;
}

function ids(rows: TimedRows): string[] {
  return Array.from({ length: rows.count }, (_, i) => idAt(rows.createdAt[i] as number, rows.seq[i] as number));
}

const iso = (ms: number): string => new Date(ms).toISOString();

function columns(names: string): Array<{ name: string; type: ColumnType }> {
  return names.split(' ').map((spec) => {
    const [name = '', type = 'text'] = spec.split(':');
    return { name, type: type as ColumnType };
  });
}

function render(count: number, width: number, start: number, end: number, fill: (row: number, out: CellValue[][]) => void): CellValue[][] {
  const out: CellValue[][] = Array.from({ length: width }, () => []);
  for (let row = start; row < Math.min(end, count); row += 1) fill(row, out);
  return out;
}

function push(out: CellValue[][], ...values: CellValue[]): void {
  values.forEach((value, i) => out[i]?.push(value));
}

export function tableSources(plan: DatasetPlan, context: RenderContext): TableSource[] {
  const { users, boards, sections, collaborators, images, pins, userFollows, boardFollows } = plan;
  const seedHash = hashString(plan.options.seed);
  const userIds = ids(users);
  const boardIds = ids(boards);
  const sectionIds = ids(sections);
  const imageIds = ids(images);
  // Saves point at original pins; their IDs are looked up millions of times, so keep them.
  const originalIds = Array.from({ length: pins.originals }, (_, i) =>
    idAt(pins.createdAt[i] as number, pins.seq[i] as number),
  );
  const userTopics = (u: number) =>
    Array.from(users.interests.subarray(u * INTEREST_SLOTS, (u + 1) * INTEREST_SLOTS)).filter((t) => t !== NO_TOPIC);

  const sources: Array<Omit<TableSource, 'batch'> & { fill: (row: number, out: CellValue[][]) => void }> = [
    {
      table: 'users',
      columns: columns(
        'id:bigint username email password_hash about website_url business_name account_type board_count:integer ' +
          'public_board_count:integer pin_count:integer public_pin_count:integer follower_count:integer ' +
          'following_count:integer created_at:timestamptz',
      ),
      count: users.count,
      fill: (u, out) => {
        const business = users.business[u] === 1;
        const text = userText(seedHash, u, userTopics(u), business);
        push(out, userIds[u] as string, text.username, text.email, context.passwordHash, text.about, text.websiteUrl,
          text.businessName, business ? 'BUSINESS' : 'PINNER', users.boardCount[u] as number,
          users.publicBoardCount[u] as number, users.pinCount[u] as number, users.publicPinCount[u] as number,
          users.followerCount[u] as number, users.followingCount[u] as number, iso(users.createdAt[u] as number));
      },
    },
    {
      table: 'boards',
      columns: columns(
        'id:bigint owner_id:bigint name description privacy pin_count:integer follower_count:integer ' +
          'collaborator_count:integer created_at:timestamptz board_pins_modified_at:timestamptz',
      ),
      count: boards.count,
      fill: (b, out) => {
        push(out, boardIds[b] as string, userIds[boards.owner[b] as number] as string, boards.name[b] as string,
          boardDescription(seedHash, b, boards.topic[b] as number), PRIVACY_CODES[boards.privacy[b] as number] as string,
          boards.pinCount[b] as number, boards.followerCount[b] as number, boards.collaboratorCount[b] as number,
          iso(boards.createdAt[b] as number), iso(boards.pinsModifiedAt[b] as number));
      },
    },
    {
      table: 'board_sections',
      columns: columns('id:bigint board_id:bigint name pin_count:integer created_at:timestamptz'),
      count: sections.count,
      fill: (s, out) => {
        push(out, sectionIds[s] as string, boardIds[sections.board[s] as number] as string, sections.name[s] as string,
          sections.pinCount[s] as number, iso(sections.createdAt[s] as number));
      },
    },
    {
      table: 'board_collaborators',
      columns: columns('board_id:bigint user_id:bigint role invited_by:bigint created_at:timestamptz'),
      count: collaborators.count,
      fill: (c, out) => {
        const board = collaborators.board[c] as number;
        push(out, boardIds[board] as string, userIds[collaborators.user[c] as number] as string,
          collaborators.editor[c] === 1 ? 'editor' : 'viewer', userIds[boards.owner[board] as number] as string,
          iso(collaborators.createdAt[c] as number));
      },
    },
    {
      table: 'images',
      // Generated images belong to no uploader (owner_id stays null: no upload deduplicates against
      // them) and, like every image, are named in URLs by a random capability.
      columns: columns(
        'id:bigint capability sha256 width:integer height:integer content_type dominant_color byte_size:integer created_at:timestamptz',
      ),
      count: images.count,
      fill: (i, out) => {
        const facts = context.image(i);
        push(out, imageIds[i] as string, context.imageCapability(i), facts.sha256, facts.width, facts.height, facts.contentType,
          facts.dominantColor, facts.byteSize, iso(images.createdAt[i] as number));
      },
    },
    {
      table: 'pins',
      columns: columns(
        'id:bigint owner_id:bigint board_id:bigint board_section_id:bigint image_id:bigint parent_pin_id:bigint ' +
          'title description link alt_text dominant_color save_count:integer created_at:timestamptz',
      ),
      count: pins.count,
      fill: (p, out) => {
        const parent = pins.parent[p] as number;
        const section = pins.section[p] as number;
        const image = pins.image[p] as number;
        const textSource = parent === NONE ? p : parent;
        const text = pinText(seedHash, textSource, boards.topic[pins.board[textSource] as number] as number);
        push(out,
          p < pins.originals ? (originalIds[p] as string) : idAt(pins.createdAt[p] as number, pins.seq[p] as number),
          userIds[pins.owner[p] as number] as string, boardIds[pins.board[p] as number] as string,
          section === NONE ? null : (sectionIds[section] as string), imageIds[image] as string,
          parent === NONE ? null : (originalIds[parent] as string), text.title, text.description, text.link,
          text.altText, context.image(image).dominantColor, pins.saveCount[p] as number, iso(pins.createdAt[p] as number));
      },
    },
    {
      table: 'user_follows',
      columns: columns('follower_id:bigint followee_id:bigint created_at:timestamptz'),
      count: userFollows.count,
      fill: (f, out) => {
        push(out, userIds[userFollows.from[f] as number] as string, userIds[userFollows.to[f] as number] as string,
          iso(userFollows.createdAt[f] as number));
      },
    },
    {
      table: 'board_follows',
      columns: columns('user_id:bigint board_id:bigint created_at:timestamptz'),
      count: boardFollows.count,
      fill: (f, out) => {
        push(out, userIds[boardFollows.from[f] as number] as string, boardIds[boardFollows.to[f] as number] as string,
          iso(boardFollows.createdAt[f] as number));
      },
    },
  ];
  return sources.map(({ fill, ...source }) => ({
    ...source,
    batch: (start, end) => render(source.count, source.columns.length, start, end, fill),
  }));
}

/** IDs of the plan's rows, for callers that refer to generated rows (the holdout file, tests). */
export function planIds(plan: DatasetPlan): { user(u: number): string; board(b: number): string; pin(p: number): string } {
  const at = (rows: TimedRows) => (i: number) => idAt(rows.createdAt[i] as number, rows.seq[i] as number);
  return { user: at(plan.users), board: at(plan.boards), pin: at(plan.pins) };
}
