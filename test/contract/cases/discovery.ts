// Contract rows for discovery: search of everyone's public pins, typeahead and related terms, asked by
// erin, who owns none of the quokka pins (they are alice's, on her PUBLIC main board).
import { expect } from 'vitest';
import type { V5Body } from '../../support/fixtures.js';
import { badBookmark, emptyList, missingScope, noToken, row, withQuery, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const searchQuokka = (w: ContractWorld): Req => ({ url: '/v5/search/partner/pins?term=quokka&country_code=US', as: w.erin });
const suggested = (w: ContractWorld): Req => ({ url: '/v5/terms/suggested?term=quok&limit=10', as: w.erin });
const related = (w: ContractWorld): Req => ({ url: '/v5/terms/related?terms=marsupial', as: w.erin });

type Page = { items: { id: string }[]; bookmark: string | null };

/** Walks the quokka search in pages of one (limit, not page_size, in this operation). */
function limitPages(): Case[] {
  const op = 'GET /search/partner/pins';
  const key = 'partner pins';
  const record = (w: ContractWorld, body: Page) => {
    const seen = new Set((w.memo.get(`${key} seen`) ?? '').split(',').filter(Boolean));
    for (const item of body.items) {
      expect(seen.has(item.id), `${item.id} repeated across pages`).toBe(false);
      seen.add(item.id);
    }
    w.memo.set(`${key} seen`, [...seen].join(','));
    if (body.bookmark) w.memo.set(`${key} bookmark`, body.bookmark);
  };
  const next = (w: ContractWorld, limit: number): Req => {
    const req = searchQuokka(w);
    return { ...req, url: withQuery(req.url, { limit, bookmark: w.memo.get(`${key} bookmark`) ?? '' }) };
  };
  return [
    row(op, 'first page of one (bookmark)', 200, (w) => {
      w.memo.delete(`${key} seen`);
      const req = searchQuokka(w);
      return { ...req, url: withQuery(req.url, { limit: 1 }) };
    }, {
      check: (body: V5Body, w) => {
        expect(body.items).toHaveLength(1);
        expect(body.bookmark).toEqual(expect.any(String));
        record(w, body);
      },
    }),
    row(op, 'middle page (bookmark, nothing repeated)', 200, (w) => next(w, 1), {
      check: (body: V5Body, w) => {
        expect(body.items).toHaveLength(1);
        expect(body.bookmark).toEqual(expect.any(String));
        record(w, body);
      },
    }),
    row(op, 'last page (bookmark null, nothing repeated)', 200, (w) => next(w, 50), {
      check: (body: V5Body, w) => {
        expect(body.items.length).toBeGreaterThanOrEqual(1);
        expect(body.bookmark).toBeNull();
        record(w, body);
      },
    }),
  ];
}

export const discoveryCases: Case[] = [
  // GET /search/partner/pins
  row('GET /search/partner/pins', "someone else's public pins matching the words", 200, searchQuokka, {
    // One card per picture: a quokka pin saved elsewhere may be stood for by its newer save.
    check: (body) => {
      expect(body.items.length).toBeGreaterThanOrEqual(3);
      for (const item of body.items) expect((item as { title?: string }).title).toMatch(/quokka/);
    },
  }),
  ...limitPages(),
  emptyList('GET /search/partner/pins', 'no match', (w) => ({ url: '/v5/search/partner/pins?term=xylophone&country_code=US', as: w.erin })),
  row('GET /search/partner/pins', 'missing term', 400, (w) => ({ url: '/v5/search/partner/pins?country_code=US', as: w.erin }), { code: 1 }),
  row('GET /search/partner/pins', 'missing country_code', 400, (w) => ({ url: '/v5/search/partner/pins?term=quokka', as: w.erin }), { code: 1 }),
  row('GET /search/partner/pins', 'blank term', 400, (w) => ({ url: '/v5/search/partner/pins?term=%20&country_code=US', as: w.erin }), { code: 4161 }),
  row('GET /search/partner/pins', 'limit above 50', 400, (w) => ({ ...searchQuokka(w), url: withQuery(searchQuokka(w).url, { limit: 51 }) }), { code: 1 }),
  badBookmark('GET /search/partner/pins', searchQuokka),
  noToken('GET /search/partner/pins', searchQuokka),
  missingScope('GET /search/partner/pins', searchQuokka, (w) => w.boardsReadOnly),

  // GET /terms/suggested
  row('GET /terms/suggested', 'titles beginning with the term', 200, suggested, {
    check: (body) => expect(body).toEqual(expect.arrayContaining(['quokka one', 'quokka two', 'quokka three'])),
  }),
  row('GET /terms/suggested', 'nothing begins so', 200, (w) => ({ url: '/v5/terms/suggested?term=xylophone', as: w.erin }), {
    check: (body) => expect(body).toEqual([]),
  }),
  row('GET /terms/suggested', 'limit above 10', 400, (w) => ({ url: '/v5/terms/suggested?term=quok&limit=11', as: w.erin }), { code: 1 }),
  row('GET /terms/suggested', 'blank term', 400, (w) => ({ url: '/v5/terms/suggested?term=%20', as: w.erin }), { code: 4161 }),
  noToken('GET /terms/suggested', suggested),
  missingScope('GET /terms/suggested', suggested, (w) => w.accountsReadOnly),

  // GET /terms/related
  row('GET /terms/related', 'the boards and titles found with the term', 200, related, {
    check: (body) => {
      const { id, related_terms_list: lists } = body as unknown as { id: string; related_terms_list: { term: string; related_terms: string[] }[] };
      expect([id, lists.map((list) => list.term)]).toEqual(['marsupial', ['marsupial']]);
      expect(lists[0]!.related_terms.some((term) => term.startsWith('quokka '))).toBe(true);
    },
  }),
  row('GET /terms/related', 'missing terms', 400, (w) => ({ url: '/v5/terms/related', as: w.erin }), { code: 1 }),
  row('GET /terms/related', 'blank terms', 400, (w) => ({ url: '/v5/terms/related?terms=%20,', as: w.erin }), { code: 4161 }),
  noToken('GET /terms/related', related),
  missingScope('GET /terms/related', related, (w) => w.accountsReadOnly),
];
