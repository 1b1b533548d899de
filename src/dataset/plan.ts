// planDataset: every row of a dataset, decided in memory from the options alone (no database, no
// clock, no Math.random), with every counter column computed from the rows it counts.
import { resolveDatasetOptions, type DatasetOptions, type DatasetOptionsInput } from './options.js';
import { planBoardFollows, planUserFollows } from './plan-follows.js';
import { planBoards, planCollaborators, planSections, planUsers } from './plan-people.js';
import { assemblePins, planHoldout, planImages, planOriginals, planSaves } from './plan-pins.js';
import { NONE, PUBLIC, type DatasetPlan } from './plan-types.js';

const DAY_MS = 86_400_000;

export type PlanPhase = 'users' | 'boards' | 'follows' | 'pins' | 'saves';

export function planDataset(
  input: DatasetOptionsInput | DatasetOptions,
  onPhase: (phase: PlanPhase) => void = () => undefined,
): DatasetPlan {
  const options = resolveDatasetOptions(input);
  const startMs = options.endMs - options.spanDays * DAY_MS;

  onPhase('users');
  const people = planUsers(options, startMs);
  onPhase('boards');
  const boards = planBoards(options, people.users);
  const sections = planSections(options, boards);
  const collaborators = planCollaborators(options, boards, people);
  onPhase('follows');
  const userFollows = planUserFollows(options, people);
  const boardFollows = planBoardFollows(options, people, boards);
  onPhase('pins');
  const images = planImages(options, startMs);
  const originals = planOriginals(options, people, boards, sections, images);
  onPhase('saves');
  const saves = planSaves(options, startMs, people, boards, sections, originals);
  const { heldBack, heldOut } = planHoldout(options, people.users.count, saves);
  const pins = assemblePins(originals, saves, heldBack);

  const plan: DatasetPlan = {
    options,
    startMs,
    users: people.users,
    boards,
    sections,
    collaborators,
    images,
    pins,
    userFollows,
    boardFollows,
    heldOut,
    skippedSaves: saves.skipped,
  };
  computeCounters(plan);
  return plan;
}

function increment(column: Int32Array, index: number): void {
  column[index] = (column[index] as number) + 1;
}

/** Fills every counter column from the rows (the same definitions the API's writes maintain). */
function computeCounters(plan: DatasetPlan): void {
  const { users, boards, sections, pins, collaborators, userFollows, boardFollows } = plan;
  for (let b = 0; b < boards.count; b += 1) {
    const owner = boards.owner[b] as number;
    increment(users.boardCount, owner);
    if (boards.privacy[b] === PUBLIC) increment(users.publicBoardCount, owner);
  }
  for (let p = 0; p < pins.count; p += 1) {
    const owner = pins.owner[p] as number;
    const board = pins.board[p] as number;
    const section = pins.section[p] as number;
    const parent = pins.parent[p] as number;
    increment(users.pinCount, owner);
    if (boards.privacy[board] === PUBLIC) increment(users.publicPinCount, owner);
    increment(boards.pinCount, board);
    const created = pins.createdAt[p] as number;
    if (created > (boards.pinsModifiedAt[board] as number)) boards.pinsModifiedAt[board] = created;
    if (section !== NONE) increment(sections.pinCount, section);
    if (parent !== NONE) increment(pins.saveCount, parent);
  }
  for (let f = 0; f < userFollows.count; f += 1) {
    increment(users.followingCount, userFollows.from[f] as number);
    increment(users.followerCount, userFollows.to[f] as number);
  }
  for (let f = 0; f < boardFollows.count; f += 1) increment(boards.followerCount, boardFollows.to[f] as number);
  for (let c = 0; c < collaborators.count; c += 1) increment(boards.collaboratorCount, collaborators.board[c] as number);
}
