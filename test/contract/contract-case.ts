// One row of the contract table: an operation, what the case shows, the request, and the status (and
// error code) the API must answer. Helpers build the rows every operation shares: no token (401), a
// token without the operation's scope (403), and a walk over a list in pages of one.
import { expect } from 'vitest';
import type { TestUser } from '../support/test-app.js';
import type { V5Body } from '../support/fixtures.js';
import type { ContractWorld } from './contract-world.js';

/**
 * 'METHOD /path': Pinterest's path template for the operations its file describes ('GET /boards/{board_id}'),
 * the served document's template ('/v5/...', '/media/...') for Corkboard's extensions.
 */
export type Op = `${'GET' | 'POST' | 'PATCH' | 'DELETE'} /${string}`;

export interface Req {
  url: string;
  /** The caller: a test user, a raw bearer token, or null for no token. */
  as: TestUser | string | null;
  payload?: string | object;
  headers?: Record<string, string>;
}

export interface Case {
  op: Op;
  name: string;
  status: number;
  /** The error body's code, for 4xx cases. */
  code?: number;
  req: (w: ContractWorld) => Req | Promise<Req>;
  check?: (body: V5Body, w: ContractWorld, reply: { headers: Record<string, unknown>; raw: string }) => void;
}

type CaseExtras = Pick<Case, 'code' | 'check'>;

export function row(op: Op, name: string, status: number, req: Case['req'], extras: CaseExtras = {}): Case {
  return { op, name, status, req, ...extras };
}

/** 401 without a token (the hook answers before anything else is looked at). */
export function noToken(op: Op, good: Case['req']): Case {
  return row(op, 'no token', 401, async (w) => ({ ...(await good(w)), as: null }), { code: 2 });
}

/** 403 with a token of alice's that lacks a scope the operation needs. */
export function missingScope(op: Op, good: Case['req'], token: (w: ContractWorld) => TestUser): Case {
  return row(op, 'token without the required scope', 403, async (w) => ({ ...(await good(w)), as: token(w) }), { code: 3 });
}

export function withQuery(url: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function idOf(item: { id?: string; user?: { id: string }; username?: string }): string {
  return item.id ?? item.user?.id ?? item.username ?? JSON.stringify(item);
}

interface ListBody {
  items: { id?: string; user?: { id: string }; username?: string }[];
  bookmark: string | null;
}

/**
 * Three rows walking a list of at least three items: the first page of one (a bookmark), a middle page
 * (another bookmark, no repeats) and the rest in one last page (bookmark null, no repeats).
 */
export function pages(op: Op, list: (w: ContractWorld) => Req): Case[] {
  const walk = (w: ContractWorld) => {
    const state = w.paging.get(op);
    if (!state?.bookmark) throw new Error(`${op}: the previous page left no bookmark`);
    return state as { bookmark: string; seen: Set<string> };
  };
  const record = (w: ContractWorld, body: ListBody) => {
    const state = w.paging.get(op) ?? { bookmark: null, seen: new Set<string>() };
    for (const item of body.items) {
      expect(state.seen.has(idOf(item)), `${idOf(item)} repeated across pages`).toBe(false);
      state.seen.add(idOf(item));
    }
    state.bookmark = body.bookmark;
    w.paging.set(op, state);
  };
  return [
    row(op, 'first page of one (bookmark)', 200, (w) => {
      w.paging.delete(op);
      const req = list(w);
      return { ...req, url: withQuery(req.url, { page_size: 1 }) };
    }, {
      check: (body: ListBody, w) => {
        expect(body.items).toHaveLength(1);
        expect(body.bookmark).toEqual(expect.any(String));
        record(w, body);
      },
    }),
    row(op, 'middle page (bookmark, nothing repeated)', 200, (w) => {
      const req = list(w);
      return { ...req, url: withQuery(req.url, { page_size: 1, bookmark: walk(w).bookmark }) };
    }, {
      check: (body: ListBody, w) => {
        expect(body.items).toHaveLength(1);
        expect(body.bookmark).toEqual(expect.any(String));
        record(w, body);
      },
    }),
    row(op, 'last page (bookmark null, nothing repeated)', 200, (w) => {
      const req = list(w);
      return { ...req, url: withQuery(req.url, { page_size: 250, bookmark: walk(w).bookmark }) };
    }, {
      check: (body: ListBody, w) => {
        expect(body.items.length).toBeGreaterThanOrEqual(1);
        expect(body.bookmark).toBeNull();
        record(w, body);
      },
    }),
  ];
}

/** An empty list answers `{items: [], bookmark: null}`. */
export function emptyList(op: Op, name: string, list: Case['req']): Case {
  return row(op, name, 200, list, { check: (body: ListBody) => expect(body).toEqual({ items: [], bookmark: null }) });
}

/** 400 for a bookmark that is not one of ours. */
export function badBookmark(op: Op, list: (w: ContractWorld) => Req): Case {
  return row(op, 'malformed bookmark', 400, (w) => {
    const req = list(w);
    return { ...req, url: withQuery(req.url, { bookmark: 'not-a-bookmark' }) };
  }, { code: 4001 });
}
