// The people and boards the privacy matrix runs against, built once per file through the API: an
// owner with a PUBLIC, a PROTECTED and a SECRET board, each with two sections, the owner's pin and an
// editor's pin, an editor and a viewer collaborator on each, a former editor whose pin stayed on the
// board after they were removed, someone unrelated, and the owner and the editor again through tokens
// without the *_secret scopes. Everyone else follows the editor (their pins reach those home feeds),
// and a pin on the owner's PUBLIC saves board leads related pins to the boards' pins (below).
import type { TestApp, TestUser } from '../support/test-app.js';
import {
  NO_SECRET_SCOPES,
  createBoard,
  createPin,
  createSection,
  followBoard,
  followUser,
  inviteCollaborator,
  tokenFor,
  type BoardReply,
  type PinReply,
} from '../support/fixtures.js';

export type Role = 'owner' | 'ownerNoSecret' | 'editor' | 'editorNoSecret' | 'viewer' | 'former' | 'other' | 'anonymous';
export type Privacy = 'PUBLIC' | 'PROTECTED' | 'SECRET';
export const ROLES: readonly Role[] = ['owner', 'ownerNoSecret', 'editor', 'editorNoSecret', 'viewer', 'former', 'other', 'anonymous'];
export const PRIVACIES: readonly Privacy[] = ['PUBLIC', 'PROTECTED', 'SECRET'];

export { MISSING_ID } from '../support/fixtures.js';

export interface HiddenPlace {
  board: BoardReply;
  /** Holds the owner's pin. */
  section: { id: string; name: string };
  /** Renamed by the PATCH section rows. */
  renameMe: { id: string; name: string };
  ownerPin: PinReply;
  editorPin: PinReply;
  /** The owner's save of their pin onto their own PUBLIC board (collaborators may not make one). */
  publicCopy: PinReply;
  /** Pinned by the former editor while they were one; it stays on the board. */
  formerPin: PinReply;
  /** A board that was PUBLIC when the editor, the viewer and the other user followed it, then turned this privacy. */
  turned: BoardReply;
  /** The editor's pin on `turned`, made while it was PUBLIC (so it reached home feeds before the turn). */
  turnedPin: PinReply;
}

export interface PrivacyWorld {
  t: TestApp;
  owner: TestUser;
  editor: TestUser;
  viewer: TestUser;
  other: TestUser;
  /** Was an editor on every hidden board, pinned there, and was removed. */
  former: TestUser;
  /** Who makes a role's requests (null: no token). */
  callers: Record<Role, TestUser | null>;
  /** Someone each role may try to invite (one each, so a successful invite always creates). */
  invitees: Record<Role, TestUser>;
  /** The PUBLIC board each role saves pins onto (their own; the owner's for the owner's tokens). */
  savesBoard: Record<Role, string>;
  /** The person behind a role, with every scope (the owner for anonymous), to set up that role's things. */
  personOf: Record<Role, TestUser>;
  /** The other user's pin on a PUBLIC board of theirs, which everyone signed in may save. */
  sourcePin: PinReply;
  /**
   * The owner's upload onto their PUBLIC saves board, next to their saves of each board's pin: its
   * related pins walk that board, whose saves lead to their originals, the owner's pin of each board.
   */
  anchorPin: PinReply;
  /** Pins the move rows made, by "privacy role", so the missing-board twin moves the same pin. */
  movedPins: Map<string, string>;
  places: Record<Privacy, HiddenPlace>;
  /** Words and ids that must never appear in an error body. */
  secrets: string[];
}

export async function buildPrivacyWorld(t: TestApp): Promise<PrivacyWorld> {
  const owner = await t.signUp('olivia');
  const editor = await t.signUp('eddie');
  const viewer = await t.signUp('vera');
  const other = await t.signUp('oscar');
  const former = await t.signUp('fiona');
  const ownerNoSecret = await tokenFor(t, owner, NO_SECRET_SCOPES);
  const editorNoSecret = await tokenFor(t, editor, NO_SECRET_SCOPES);
  const callers: Record<Role, TestUser | null> = { owner, ownerNoSecret, editor, editorNoSecret, viewer, former, other, anonymous: null };

  const invitees = {} as Record<Role, TestUser>;
  for (const role of ROLES) invitees[role] = await t.signUp(`invitee_${role.toLowerCase()}`);

  const ownSaves = (await createBoard(t, owner, { name: 'Olivia saves' })).id;
  const editorSaves = (await createBoard(t, editor, { name: 'Eddie saves' })).id;
  const savesBoard: Record<Role, string> = {
    owner: ownSaves,
    ownerNoSecret: ownSaves,
    editor: editorSaves,
    editorNoSecret: editorSaves,
    viewer: (await createBoard(t, viewer, { name: 'Vera saves' })).id,
    former: (await createBoard(t, former, { name: 'Fiona saves' })).id,
    other: (await createBoard(t, other, { name: 'Oscar saves' })).id,
    anonymous: ownSaves,
  };

  // The viewer's and the other user's timelines exist from here on, so pins reach them as they are made
  // (and the turned boards' pins must then leave them).
  for (const reader of [viewer, other]) await t.request({ method: 'GET', url: '/v5/feeds/home', as: reader });

  const places = {} as Record<Privacy, HiddenPlace>;
  const secrets = ['xyzzy', 'plover', 'plugh', 'quux', 'frobozz', 'zork', owner.username];
  for (const privacy of PRIVACIES) {
    const board = await createBoard(t, owner, { name: `Hidden ${privacy} xyzzy`, description: `plover notes ${privacy}`, privacy });
    const section = await createSection(t, owner, board.id, `Section ${privacy} plugh`);
    const renameMe = await createSection(t, owner, board.id, `Rename me ${privacy} plugh`);
    await inviteCollaborator(t, owner, board.id, editor, 'editor');
    await inviteCollaborator(t, owner, board.id, viewer, 'viewer');
    const ownerPin = await createPin(t, owner, board.id, { board_section_id: section.id, title: `Owner pin ${privacy} quux` });
    const editorPin = await createPin(t, editor, board.id, { title: `Editor pin ${privacy} frobozz` });
    const publicCopy = await createPin(t, owner, ownSaves, { parent_pin_id: ownerPin.id });
    await inviteCollaborator(t, owner, board.id, former, 'editor');
    const formerPin = await createPin(t, former, board.id, { title: `Former pin ${privacy} zork` });
    const removed = await t.request({ method: 'DELETE', url: `/v5/boards/${board.id}/collaborators/${former.username}`, as: owner });
    if (removed.statusCode !== 204) throw new Error(`removing the former editor: ${removed.statusCode} ${removed.body}`);

    const turned = await createBoard(t, owner, { name: `Turncoat ${privacy} xyzzy` });
    await inviteCollaborator(t, owner, turned.id, editor, 'editor');
    await inviteCollaborator(t, owner, turned.id, viewer, 'viewer');
    for (const follower of [editor, viewer, other]) await followBoard(t, follower, turned.id);
    const turnedPin = await createPin(t, editor, turned.id, { title: `Turned pin ${privacy}` });
    await t.container.background.settle();
    if (privacy !== 'PUBLIC') {
      const patched = await t.request({ method: 'PATCH', url: `/v5/boards/${turned.id}`, payload: { privacy }, as: owner });
      if (patched.statusCode !== 200) throw new Error(`turning a board ${privacy}: ${patched.statusCode} ${patched.body}`);
    }

    places[privacy] = { board, section, renameMe, ownerPin, editorPin, publicCopy, formerPin, turned, turnedPin };
    secrets.push(board.id, section.id, renameMe.id, ownerPin.id, editorPin.id, formerPin.id, turned.id, turnedPin.id);
  }
  const sourceBoard = await createBoard(t, other, { name: 'Oscar source' });
  const sourcePin = await createPin(t, other, sourceBoard.id, { title: 'Source pin' });
  for (const follower of [owner, viewer, former, other]) await followUser(t, follower, editor.username);
  const anchorPin = await createPin(t, owner, ownSaves, { title: 'Anchor' });
  // Timelines filled and the related-pins graph up to date before the first row reads them.
  await t.container.relatedPinsParts.graph.ready();
  await t.container.background.settle();
  const personOf: Record<Role, TestUser> = {
    owner,
    ownerNoSecret: owner,
    editor,
    editorNoSecret: editor,
    viewer,
    former,
    other,
    anonymous: owner,
  };
  return { t, owner, editor, viewer, other, former, callers, invitees, savesBoard, personOf, sourcePin, anchorPin, movedPins: new Map(), places, secrets };
}
