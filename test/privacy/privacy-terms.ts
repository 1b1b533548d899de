// The words rows of the privacy matrix: typeahead and related terms answer words, not items, and must
// never carry a word of a PROTECTED or SECRET board (its name, its pins' titles) to anyone, the
// board's owner and collaborators included: they are built from what everyone may read.
import type { Privacy, PrivacyWorld, Role } from './privacy-world.js';

export interface TermsSpec {
  route: string;
  v5Path: string;
  url(w: PrivacyWorld, privacy: Privacy): string;
  /** The word the row looks for in the answer. */
  word(w: PrivacyWorld, privacy: Privacy): string;
  /** The words of the answer. */
  words(body: unknown): string[];
}

const lower = (p: Privacy) => p.toLowerCase();
const relatedWords = (body: unknown) =>
  (body as { related_terms_list: { related_terms: string[] }[] }).related_terms_list.flatMap((list) => list.related_terms);

export const TERMS: TermsSpec[] = [
  {
    route: "GET /v5/terms/suggested?term=hidden {privacy} (the board's name)",
    v5Path: '/terms/suggested',
    url: (_w, p) => `/v5/terms/suggested?term=${encodeURIComponent(`hidden ${lower(p)}`)}&limit=10`,
    word: (_w, p) => `hidden ${lower(p)} xyzzy`,
    words: (body) => body as string[],
  },
  {
    route: "GET /v5/terms/suggested?term=editor pin {privacy} (the editor's pin's title)",
    v5Path: '/terms/suggested',
    url: (_w, p) => `/v5/terms/suggested?term=${encodeURIComponent(`editor pin ${lower(p)}`)}&limit=10`,
    word: (_w, p) => `editor pin ${lower(p)} frobozz`,
    words: (body) => body as string[],
  },
  {
    route: "GET /v5/terms/related?terms=frobozz (the board's name and the editor's pin's title)",
    v5Path: '/terms/related',
    url: () => '/v5/terms/related?terms=frobozz',
    word: (_w, p) => `hidden ${lower(p)} xyzzy`,
    words: relatedWords,
  },
  {
    route: "GET /v5/terms/related?terms=frobozz (the editor's pin's title)",
    v5Path: '/terms/related',
    url: () => '/v5/terms/related?terms=frobozz',
    word: (_w, p) => `editor pin ${lower(p)} frobozz`,
    words: relatedWords,
  },
];

export interface TermsRow {
  route: string;
  role: Role;
  privacy: Privacy;
  expectStatus: number;
  listed: boolean;
}

export function termsMatrix(specs: readonly TermsSpec[], privacies: readonly Privacy[], roles: readonly Role[]): TermsRow[] {
  return specs.flatMap((spec) =>
    privacies.flatMap((privacy) =>
      roles.map((role) => ({
        route: spec.route,
        role,
        privacy,
        expectStatus: role === 'anonymous' ? 401 : 200,
        listed: role !== 'anonymous' && privacy === 'PUBLIC',
      })),
    ),
  );
}
