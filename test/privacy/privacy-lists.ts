// The lists of the privacy matrix: for each list a role can ask for, whether a given board's content is
// in it. Lists never answer 404; what is hidden is simply absent. Search of one's own pins and GET
// /v5/pins are the caller's own content only, so a collaborator finds their own pins on a board, never
// the owner's. Search of everyone's public pins finds pins of PUBLIC boards only, whoever asks.
// Shared surfaces (the home feed, related pins) show pins of PUBLIC boards only, to everyone, the
// board's owner and collaborators included. A person's profile lists show what the caller may read.
import type { Privacy, PrivacyWorld, Role } from './privacy-world.js';
import { sees } from './privacy-routes.js';

export interface ListSpec {
  route: string;
  /** Pinterest's path template, when the operation is in Pinterest's file (bodies are then checked against it). */
  v5Path?: string;
  url(w: PrivacyWorld, privacy: Privacy): string;
  /** The id the row looks for in `items`. */
  target(w: PrivacyWorld, privacy: Privacy): string;
  listedFor(role: Role, privacy: Privacy): boolean;
}

const ownerWithScopes = (role: Role, privacy: Privacy) => role === 'owner' || (role === 'ownerNoSecret' && privacy !== 'SECRET');
const editorWithScopes = (role: Role, privacy: Privacy) => role === 'editor' || (role === 'editorNoSecret' && privacy !== 'SECRET');

export const LISTS: ListSpec[] = [
  {
    route: 'GET /v5/boards (the board)',
    v5Path: '/boards',
    url: () => '/v5/boards?page_size=250',
    target: (w, p) => w.places[p].board.id,
    // The owner's boards and the boards one collaborates on; SECRET ones need boards:read_secret.
    listedFor: (role, p) => ownerWithScopes(role, p) || editorWithScopes(role, p) || role === 'viewer',
  },
  {
    route: "GET /v5/pins?include_protected_pins=true (the owner's pin)",
    v5Path: '/pins',
    url: () => '/v5/pins?include_protected_pins=true&page_size=250',
    target: (w, p) => w.places[p].ownerPin.id,
    listedFor: ownerWithScopes,
  },
  {
    route: "GET /v5/pins (the owner's pin; PROTECTED only on request)",
    v5Path: '/pins',
    url: () => '/v5/pins?page_size=250',
    target: (w, p) => w.places[p].ownerPin.id,
    listedFor: (role, p) => ownerWithScopes(role, p) && p !== 'PROTECTED',
  },
  {
    route: "GET /v5/pins?include_protected_pins=true (the editor's pin)",
    v5Path: '/pins',
    url: () => '/v5/pins?include_protected_pins=true&page_size=250',
    target: (w, p) => w.places[p].editorPin.id,
    listedFor: editorWithScopes,
  },
  {
    route: "GET /v5/search/pins?query=quux (the owner's pin)",
    v5Path: '/search/pins',
    url: () => '/v5/search/pins?query=quux&page_size=250',
    target: (w, p) => w.places[p].ownerPin.id,
    listedFor: ownerWithScopes,
  },
  {
    route: "GET /v5/search/pins?query={pin id} (the owner's pin)",
    v5Path: '/search/pins',
    url: (w, p) => `/v5/search/pins?query=${w.places[p].ownerPin.id}`,
    target: (w, p) => w.places[p].ownerPin.id,
    listedFor: ownerWithScopes,
  },
  {
    route: "GET /v5/search/pins?query=frobozz (the editor's pin)",
    v5Path: '/search/pins',
    url: () => '/v5/search/pins?query=frobozz&page_size=250',
    target: (w, p) => w.places[p].editorPin.id,
    listedFor: editorWithScopes,
  },
  {
    route: "GET /v5/pins?include_protected_pins=true (the former editor's own pin)",
    v5Path: '/pins',
    url: () => '/v5/pins?include_protected_pins=true&page_size=250',
    target: (w, p) => w.places[p].formerPin.id,
    // Their pin stays theirs, but on a hidden board it is as hidden from them as from anyone.
    listedFor: (role, p) => role === 'former' && p === 'PUBLIC',
  },
  {
    route: "GET /v5/search/pins?query=zork (the former editor's own pin)",
    v5Path: '/search/pins',
    url: () => '/v5/search/pins?query=zork&page_size=250',
    target: (w, p) => w.places[p].formerPin.id,
    listedFor: (role, p) => role === 'former' && p === 'PUBLIC',
  },
  {
    route: 'GET /v5/search/boards?query=xyzzy (the board)',
    v5Path: '/search/boards',
    url: () => '/v5/search/boards?query=xyzzy&page_size=250',
    target: (w, p) => w.places[p].board.id,
    listedFor: ownerWithScopes,
  },
  {
    route: "GET /v5/search/partner/pins?term=frobozz (the editor's pin)",
    v5Path: '/search/partner/pins',
    url: () => '/v5/search/partner/pins?term=frobozz&country_code=US&limit=50',
    target: (w, p) => w.places[p].editorPin.id,
    // Everyone's public pins, whoever asks: a hidden board's pins are found by nobody, its owner included.
    listedFor: (_role, p) => p === 'PUBLIC',
  },
  {
    route: "GET /v5/search/partner/pins?term=xyzzy (the editor's pin on the turned board, found by the board's name)",
    v5Path: '/search/partner/pins',
    url: () => '/v5/search/partner/pins?term=xyzzy&country_code=US&limit=50',
    target: (w, p) => w.places[p].turnedPin.id,
    listedFor: (_role, p) => p === 'PUBLIC',
  },
  {
    route: 'GET /v5/user_account/following/boards (a followed PUBLIC board that turned this privacy)',
    v5Path: '/user_account/following/boards',
    url: () => '/v5/user_account/following/boards?page_size=250',
    target: (w, p) => w.places[p].turned.id,
    // The editor, the viewer and the other user followed it while it was PUBLIC; the owner cannot follow it.
    listedFor: (role, p) => editorWithScopes(role, p) || role === 'viewer' || (role === 'other' && p === 'PUBLIC'),
  },
  {
    // Made while the board was PUBLIC and followed (delivered to the timelines then), before it turned.
    route: "GET /v5/feeds/home (the editor's pin on the turned board; everyone else follows the editor)",
    url: () => '/v5/feeds/home?page_size=250',
    target: (w, p) => w.places[p].turnedPin.id,
    // Never one's own pins; never a pin of a board that is not PUBLIC, whoever reads.
    listedFor: (role, p) => p === 'PUBLIC' && role !== 'editor' && role !== 'editorNoSecret',
  },
  {
    route: "GET /v5/pins/{anchor}/related (the owner's pin, saved next to the anchor)",
    url: (w) => `/v5/pins/${w.anchorPin.id}/related?page_size=250`,
    target: (w, p) => w.places[p].ownerPin.id,
    listedFor: (_role, p) => p === 'PUBLIC',
  },
  {
    route: "GET /v5/users/{owner}/pins (the owner's pin)",
    url: (w) => `/v5/users/${w.owner.username}/pins?page_size=250`,
    target: (w, p) => w.places[p].ownerPin.id,
    listedFor: sees,
  },
  {
    route: "GET /v5/users/{former}/pins (the former editor's pin on the owner's board)",
    url: (w) => `/v5/users/${w.former.username}/pins?page_size=250`,
    target: (w, p) => w.places[p].formerPin.id,
    listedFor: sees,
  },
  {
    route: "GET /v5/users/{owner}/boards (the board)",
    url: (w) => `/v5/users/${w.owner.username}/boards?page_size=250`,
    target: (w, p) => w.places[p].board.id,
    listedFor: sees,
  },
];

export interface ListRow {
  route: string;
  role: Role;
  privacy: Privacy;
  expectStatus: number;
  listed: boolean;
}

export function listMatrix(lists: readonly ListSpec[], privacies: readonly Privacy[], roles: readonly Role[]): ListRow[] {
  return lists.flatMap((spec) =>
    privacies.flatMap((privacy) =>
      roles.map((role) => ({
        route: spec.route,
        role,
        privacy,
        expectStatus: role === 'anonymous' ? 401 : 200,
        listed: role !== 'anonymous' && spec.listedFor(role, privacy),
      })),
    ),
  );
}
