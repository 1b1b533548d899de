// Demo data for a newcomer's first start (SEED_DEMO, on by default for the embedded database only): on a store with no users it
// creates a handful of people with themed boards, sections, a group board, a few hundred pins with
// generated images, saves between people and follows, then says how to get a token. Everything goes
// through the same services as the API, so every counter is exactly what real use would produce.
import type { Logger } from 'pino';
import type { Container } from '../container.js';
import { isAppError } from '../platform/errors.js';
import { V5_SCOPES, type Viewer } from '../platform/http/viewer.js';
import { THEMES, PEOPLE, DEMO_PASSWORD, DEMO_USERNAME, type DemoBoard, type ThemeName } from './demo-content.js';
import { drawPinImage, pick, seededRandom, type Random } from './demo-images.js';
import { DemoRepository } from './demo.repository.js';
import { seedDemoExperiments } from '../experiments/demo/seed-demo-experiments.js';
import { readableByEveryone } from '../boards/board-access.js';

const SEED = 20261122;
/** Saves each board receives from other people's boards of the same theme. */
const SAVES_PER_BOARD = 8;
/** Pins an editor adds to a group board they were invited to. */
const COLLABORATOR_PINS = 4;
/** Images drawn and processed at once; the machine is assumed to have at least two cores. */
const IMAGE_CONCURRENCY = 4;

interface DemoImage {
  title: string;
  base64: string;
}

interface SeededBoard {
  id: string;
  owner: Viewer;
  spec: DemoBoard;
  sectionIds: string[];
  pinIds: string[];
}

export async function seedDemoIfEmpty(container: Container, logger: Logger): Promise<void> {
  if (await new DemoRepository(container.db).hasAnyUser()) {
    logger.info('Demo data: the store already has accounts, so nothing was added.');
    return;
  }
  const started = Date.now();
  let summary: Awaited<ReturnType<typeof seedDemo>>;
  try {
    summary = await seedDemo(container);
  } catch (error) {
    // Several API processes starting at once on one empty PostgreSQL: one of them seeds.
    if (isAppError(error) && error.kind === 'USERNAME_TAKEN') {
      logger.info('Demo data: another process is adding it.');
      return;
    }
    throw error;
  }
  logger.info(
    { ...summary, ms: Date.now() - started },
    `Demo data ready: ${summary.people} people, ${summary.boards} boards, ${summary.pins} pins.`,
  );
  logTokenHowTo(container, logger);
}

/** Creates the demo data on an empty store; returns what it made. */
export async function seedDemo(container: Container): Promise<{ people: number; boards: number; pins: number }> {
  const { services } = container;
  const random = seededRandom(SEED);
  const images = await drawImages(random);

  const viewers = new Map<string, Viewer>();
  for (const person of PEOPLE) {
    const user = await services.accounts.signUp({
      username: person.username,
      email: `${person.username}@demo.corkboard.invalid`,
      password: DEMO_PASSWORD,
    });
    viewers.set(person.username, { userId: user.id, username: user.username, scopes: new Set(V5_SCOPES), isAdmin: false });
  }
  const viewer = (username: string): Viewer => {
    const found = viewers.get(username);
    if (!found) throw new Error(`demo content names an unknown person: ${username}`);
    return found;
  };

  const boards: SeededBoard[] = [];
  for (const person of PEOPLE) {
    const owner = viewer(person.username);
    for (const spec of person.boards) {
      const card = await services.boards.create(owner, { name: spec.name, description: spec.description, privacy: spec.privacy });
      const sectionIds: string[] = [];
      for (const name of spec.sections ?? []) sectionIds.push((await services.boardSections.create(owner, card.board.id, name)).id);
      for (const collaborator of spec.collaborators ?? []) {
        await services.boardMembers.invite(owner, card.board.id, collaborator);
      }
      boards.push({ id: card.board.id, owner, spec, sectionIds, pinIds: [] });
    }
  }

  let pins = 0;
  const pinImage = async (pinner: Viewer, board: SeededBoard, image: DemoImage) => {
    const theme = THEMES[board.spec.theme];
    const section = board.sectionIds.length > 0 && random() < 0.7 ? pick(random, board.sectionIds) : undefined;
    const source = { source_type: 'image_base64', content_type: 'image/jpeg', data: image.base64 };
    const pin = await services.pins.create(pinner, {
      board_id: board.id,
      ...(section ? { board_section_id: section } : {}),
      title: image.title,
      description: pick(random, theme.descriptions),
      link: `${theme.site}/${slug(image.title)}`,
      alt_text: `Illustration: ${image.title.toLowerCase()}`,
      media_source: source,
    });
    board.pinIds.push(pin.pin.id);
    pins += 1;
  };

  // Each board gets every image of its theme once, in its own order.
  for (const board of boards) {
    for (const image of shuffled(random, images[board.spec.theme])) await pinImage(board.owner, board, image);
  }
  for (const board of boards) {
    for (const collaborator of board.spec.collaborators ?? []) {
      if (collaborator.role !== 'editor') continue;
      for (const image of shuffled(random, images[board.spec.theme]).slice(0, COLLABORATOR_PINS)) {
        await pinImage(viewer(collaborator.username), board, image);
      }
    }
  }

  // People save pins they like from other people's public boards on the same theme.
  for (const board of boards) {
    const sources = boards
      .filter((other) => other.owner.userId !== board.owner.userId && readableByEveryone(other.spec.privacy) && other.spec.theme === board.spec.theme)
      .flatMap((other) => other.pinIds);
    for (const pinId of shuffled(random, sources).slice(0, SAVES_PER_BOARD)) {
      const section = board.sectionIds.length > 0 && random() < 0.5 ? pick(random, board.sectionIds) : undefined;
      await services.pins.save(board.owner, pinId, { board_id: board.id, ...(section ? { board_section_id: section } : {}) });
      pins += 1;
    }
  }

  for (const person of PEOPLE) {
    for (const followee of person.follows) await services.follows.followUser(viewer(person.username), followee);
  }
  // Everyone follows one board of someone they do not follow yet, so followed boards show up too.
  for (const person of PEOPLE) {
    const target = boards.find(
      (board) =>
        board.owner.username !== person.username &&
        !person.follows.includes(board.owner.username) &&
        readableByEveryone(board.spec.privacy),
    );
    if (target) await services.boardMembers.follow(viewer(person.username), target.id);
  }

  // The experiments the product reads, with a week of simulated traffic (src/experiments/demo).
  const publicPins = boards.filter((board) => readableByEveryone(board.spec.privacy)).flatMap((board) => board.pinIds);
  await seedDemoExperiments(container, viewer(DEMO_USERNAME), publicPins);

  return { people: PEOPLE.length, boards: boards.length, pins };
}

/**
 * Draws one image per title of every theme, in parallel. Each person's pins of the same picture
 * share one stored image (uploads are deduplicated per owner); different people's never do.
 */
async function drawImages(random: Random): Promise<Record<ThemeName, DemoImage[]>> {
  const jobs: Array<{ theme: ThemeName; title: string; random: Random }> = [];
  for (const [theme, spec] of Object.entries(THEMES) as Array<[ThemeName, (typeof THEMES)[ThemeName]]>) {
    // Every image gets its own random stream, so the drawing does not depend on completion order.
    for (const title of spec.titles) jobs.push({ theme, title, random: seededRandom(Math.floor(random() * 2 ** 32)) });
  }
  const byTheme: Record<ThemeName, DemoImage[]> = { recipes: [], home: [], fashion: [], travel: [], garden: [] };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (!job) break;
      const data = await drawPinImage(THEMES[job.theme], job.title, job.random);
      byTheme[job.theme].push({ title: job.title, base64: data.toString('base64') });
    }
  };
  await Promise.all(Array.from({ length: IMAGE_CONCURRENCY }, worker));
  // Completion order varies; sort so the demo is the same every time.
  for (const list of Object.values(byTheme)) list.sort((a, b) => a.title.localeCompare(b.title));
  return byTheme;
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function logTokenHowTo(container: Container, logger: Logger): void {
  const { config } = container;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const curl =
    `curl -s -X POST ${base}/v5/oauth/token -d grant_type=password ` +
    `-d username=${DEMO_USERNAME} -d password=${DEMO_PASSWORD}`;
  logger.info(
    { username: DEMO_USERNAME, password: DEMO_PASSWORD, curl },
    `Demo accounts (${PEOPLE.map((person) => person.username).join(', ')}) all use the password ` +
      `"${DEMO_PASSWORD}". Get a token for "${DEMO_USERNAME}" with: ${curl}  ` +
      `(or, with the server stopped or on PostgreSQL: npm run -s cli -- token ${DEMO_USERNAME}), then call ` +
      `the API with "Authorization: Bearer <access_token>", e.g. ${base}/v5/boards`,
  );
}
