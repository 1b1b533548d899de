// A person's boards and pins as the viewer may see them: all of their own to themselves, and to
// anyone else their PUBLIC boards plus the PROTECTED and SECRET ones that person shares with them.
// Hidden boards and their pins are simply absent, never an error.
import { AppError } from '../platform/errors.js';
import type { BoardRow, UserRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import type { BoardCard } from '../boards/board.service.js';
import type { PinDetails } from '../pins/pin.repository.js';
import type { ProfileRepository } from './profile.repository.js';

export interface ProfileServiceDeps {
  profiles: ProfileRepository;
  accounts: { findByUsername(username: string): Promise<UserRow | undefined> };
  /** The boards feature's v5 board cards (owner, cover, thumbnails). */
  boardCards: { cards(boards: readonly BoardRow[]): Promise<BoardCard[]> };
  /** The pins feature's details, with its own check that the viewer may see each pin. */
  pinDetails: { findDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> };
}

export class ProfileService {
  constructor(private readonly deps: ProfileServiceDeps) {}

  async boardsOf(viewer: Viewer, userId: string, page: PageRequest): Promise<Page<BoardCard>> {
    const rows = await this.deps.profiles.listBoardsOwnedBy(userId, viewer, page);
    const { items, next } = toPage(rows, page.limit, (board) => [board.id]);
    return { items: await this.deps.boardCards.cards(items), next };
  }

  async pinsOf(viewer: Viewer, userId: string, page: PageRequest): Promise<Page<PinDetails>> {
    const ids = await this.deps.profiles.listPinIdsOwnedBy(userId, viewer, page);
    const { items, next } = toPage(ids, page.limit, (id) => [id]);
    const details = new Map((await this.deps.pinDetails.findDetails(items, viewer)).map((found) => [found.pin.id, found]));
    // A pin deleted between the two statements drops out; the order stays newest first.
    return { items: items.flatMap((id) => details.get(id) ?? []), next };
  }

  /** GET /v5/users/{username}/boards: USER_NOT_FOUND (404) for an unknown name. */
  async boardsOfUsername(viewer: Viewer, username: string, page: PageRequest): Promise<Page<BoardCard>> {
    return this.boardsOf(viewer, (await this.user(username)).id, page);
  }

  /** GET /v5/users/{username}/pins. */
  async pinsOfUsername(viewer: Viewer, username: string, page: PageRequest): Promise<Page<PinDetails>> {
    return this.pinsOf(viewer, (await this.user(username)).id, page);
  }

  private async user(username: string): Promise<UserRow> {
    const user = await this.deps.accounts.findByUsername(username);
    if (!user) throw new AppError('USER_NOT_FOUND');
    return user;
  }
}
