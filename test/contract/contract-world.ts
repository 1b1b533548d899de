// The data the contract cases run against, built once per test file through the API: a user with
// boards, sections, pins, collaborators, followers and followed boards (so every list has several
// pages at page_size=1), a user with nothing (so every list has an empty answer), and tokens that
// lack scopes (so every operation can answer 403).
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

export { MISSING_ID } from '../support/fixtures.js';

export interface Paging {
  bookmark: string | null;
  seen: Set<string>;
}

export interface ContractWorld {
  t: TestApp;
  /** Owns everything below, follows bob/carol/dave and three of bob's boards. */
  alice: TestUser;
  /** Viewer collaborator on alice's main board; owns boards alice follows and a pin alice saves. */
  bob: TestUser;
  /** Editor collaborator on alice's main board. */
  carol: TestUser;
  /** Viewer collaborator on alice's main board. */
  dave: TestUser;
  /** Has nothing and does nothing: every list of hers is empty. The cases must keep it so. */
  erin: TestUser;
  /** Followed, invited and unfollowed by the cases. */
  frank: TestUser;
  /** alice's token with only user_accounts:read. */
  accountsReadOnly: TestUser;
  /** alice's token with only boards:read. */
  boardsReadOnly: TestUser;
  /** alice's token without any *_secret scope. */
  noSecret: TestUser;
  main: BoardReply;
  third: BoardReply;
  /** A board with one section and no pins. */
  empty: BoardReply;
  /** Where destructive cases put and remove things. */
  scratch: BoardReply;
  sections: { a: { id: string; name: string }; b: { id: string; name: string }; c: { id: string; name: string } };
  emptySection: { id: string; name: string };
  /** Three pins on main, in section a, titled "quokka ...". */
  pins: PinReply[];
  bobBoard: BoardReply;
  bobPin: PinReply;
  /** State the cases hand on: bookmarks of list walks, tokens from the OAuth cases, ids. */
  paging: Map<string, Paging>;
  memo: Map<string, string>;
}

export async function buildContractWorld(t: TestApp): Promise<ContractWorld> {
  const alice = await t.signUp('alice');
  const bob = await t.signUp('bob');
  const carol = await t.signUp('carol');
  const dave = await t.signUp('dave');
  const erin = await t.signUp('erin');
  const frank = await t.signUp('frank');

  const main = await createBoard(t, alice, { name: 'Contract main', description: 'Where the contract suite pins' });
  const third = await createBoard(t, alice, { name: 'Contract third' });
  const empty = await createBoard(t, alice, { name: 'Contract empty' });
  const scratch = await createBoard(t, alice, { name: 'Contract scratch' });
  const sections = {
    a: await createSection(t, alice, main.id, 'Section A'),
    b: await createSection(t, alice, main.id, 'Section B'),
    c: await createSection(t, alice, main.id, 'Section C'),
  };
  const emptySection = await createSection(t, alice, empty.id, 'Empty section');
  const pins: PinReply[] = [];
  for (const word of ['one', 'two', 'three']) {
    pins.push(await createPin(t, alice, main.id, { board_section_id: sections.a.id, title: `quokka ${word}`, description: 'a happy marsupial' }));
  }
  await inviteCollaborator(t, alice, main.id, bob, 'viewer');
  await inviteCollaborator(t, alice, main.id, carol, 'editor');
  await inviteCollaborator(t, alice, main.id, dave, 'viewer');

  const bobBoards: BoardReply[] = [];
  for (const name of ['Bob one', 'Bob two', 'Bob three']) bobBoards.push(await createBoard(t, bob, { name }));
  const bobBoard = bobBoards[0]!;
  const bobPin = await createPin(t, bob, bobBoard.id, { title: 'bob pin' });
  for (const board of bobBoards) await followBoard(t, alice, board.id);
  for (const user of [bob, carol, dave]) {
    await followUser(t, user, alice.username);
    await followUser(t, alice, user.username);
  }

  return {
    t,
    alice,
    bob,
    carol,
    dave,
    erin,
    frank,
    accountsReadOnly: await tokenFor(t, alice, ['user_accounts:read']),
    boardsReadOnly: await tokenFor(t, alice, ['boards:read']),
    noSecret: await tokenFor(t, alice, NO_SECRET_SCOPES),
    main,
    third,
    empty,
    scratch,
    sections,
    emptySection,
    pins,
    bobBoard,
    bobPin,
    paging: new Map(),
    memo: new Map(),
  };
}
