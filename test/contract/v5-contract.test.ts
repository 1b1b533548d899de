// The v5 contract, operation by operation: every operation Corkboard serves from Pinterest's API v5 is
// driven through the app (success, empty list, first/middle/last page, and each error it can give) and
// every response body is validated against Pinterest's own OpenAPI description. Corkboard's
// extensions are validated against the app's served /v5/openapi.json instead. The cases are a table
// (test/contract/cases/*.ts), run in order against one world built in beforeAll; the last tests check
// that every operation was seen answering both a 2xx and a 4xx, and that the served document agrees
// with what the app answered.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { assertMatchesV5 } from '../support/contract.js';
import { bodyOf, type V5Body } from '../support/fixtures.js';
import { loadServedContract, type ServedContract } from '../support/served-contract.js';
import { buildContractWorld, type ContractWorld } from './contract-world.js';
import type { Case, Op } from './contract-case.js';
import { boardCases } from './cases/boards.js';
import { pinCases } from './cases/pins.js';
import { accountCases } from './cases/accounts.js';
import { profileCases } from './cases/profiles.js';
import { extensionCases } from './cases/extensions.js';
import { eventCases } from './cases/events.js';
import { experimentCases } from './cases/experiments.js';
import { feedCases } from './cases/feeds.js';
import { discoveryCases } from './cases/discovery.js';

const subset = JSON.parse(readFileSync(new URL('../fixtures/pinterest-v5-subset.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
/** The operations of Pinterest's file that Corkboard serves, as 'METHOD /path'. */
const PINTEREST_OPS: string[] = Object.entries(subset.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((method) => method !== 'parameters')
    .map((method) => `${method.toUpperCase()} ${path}`),
);

const CASES: Case[] = [...accountCases, ...profileCases, ...boardCases, ...pinCases, ...extensionCases, ...eventCases, ...experimentCases, ...feedCases, ...discoveryCases];

function split(op: Op): [method: string, path: string] {
  const space = op.indexOf(' ');
  return [op.slice(0, space), op.slice(space + 1)];
}

/** The operation as the served document names it: Pinterest's paths are served under /v5. */
const servedOpOf = (op: string): string => {
  const [method, path] = split(op as Op);
  return PINTEREST_OPS.includes(op) ? `${method} /v5${path}` : op;
};

describe('v5 contract', () => {
  let w: ContractWorld;
  let served: ServedContract;
  /** Statuses each operation answered as its case expected. */
  const seen = new Map<string, Set<number>>();
  /** Answers of Pinterest operations and media the served document does not describe (reported by the last test). */
  const servedMismatches: string[] = [];

  let t: TestApp | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    served = await loadServedContract(t);
    w = await buildContractWorld(t);
  }, 120_000);
  afterAll(async () => t?.close());

  /** Validates the body against the contract that governs the operation; throws on a mismatch. */
  function validate(op: Op, status: number, body: unknown): void {
    const [method, path] = split(op);
    const [, servedPath] = split(servedOpOf(op) as Op);
    if (PINTEREST_OPS.includes(op)) {
      assertMatchesV5(method, path, status, body);
      try {
        served.assertMatches(method, servedPath, status, body);
      } catch (error) {
        servedMismatches.push(`${op} ${status}: ${(error as Error).message.split('\n')[0]}`);
      }
    } else if (path.startsWith('/media/')) {
      // Image bytes on success; the v5 error body otherwise.
      if (status >= 400) {
        const errorBody = body as { code: unknown; message: unknown };
        expect([typeof errorBody.code, typeof errorBody.message, Object.keys(errorBody).length]).toEqual(['number', 'string', 2]);
        try {
          served.assertMatches(method, servedPath, status, body);
        } catch (error) {
          servedMismatches.push(`${op} ${status}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    } else {
      served.assertMatches(method, servedPath, status, body);
    }
  }

  for (const kase of CASES) {
    it(`${kase.op} ${kase.name} -> ${kase.status}`, async () => {
      const [method] = split(kase.op);
      const req = await kase.req(w);
      const reply = await w.t.request({
        method,
        url: req.url,
        as: req.as,
        ...(req.payload !== undefined ? { payload: req.payload } : {}),
        ...(req.headers ? { headers: req.headers } : {}),
      });
      expect(reply.statusCode, `${method} ${req.url}: ${reply.body.slice(0, 400)}`).toBe(kase.status);
      // Counted as exercised once it answers as expected; a body breaking the contract fails this test alone.
      const statuses = seen.get(kase.op) ?? new Set<number>();
      statuses.add(reply.statusCode);
      seen.set(kase.op, statuses);
      const body = bodyOf(reply);
      validate(kase.op, reply.statusCode, body);
      if (kase.code !== undefined) expect((body as { code?: number }).code, reply.body).toBe(kase.code);
      kase.check?.(body as V5Body, w, { headers: reply.headers, raw: reply.body });
    });
  }

  const gaps = (ops: readonly string[]): string[] =>
    ops.flatMap((op) => {
      const statuses = [...(seen.get(op) ?? [])];
      const missing = [
        ...(statuses.some((s) => s >= 200 && s < 300) ? [] : ['a 2xx']),
        ...(statuses.some((s) => s >= 400 && s < 500) ? [] : ['a 4xx']),
      ];
      return missing.length > 0 ? [`${op}: no ${missing.join(' and no ')} (saw ${statuses.join(', ') || 'nothing'})`] : [];
    });

  it('exercised every operation of the Pinterest subset with a 2xx and a 4xx', () => {
    expect(PINTEREST_OPS.length).toBe(29);
    expect(gaps(PINTEREST_OPS)).toEqual([]);
  });

  it('exercised every extension the served /v5/openapi.json lists with a 2xx and a 4xx', () => {
    const servedPinterest = new Set(PINTEREST_OPS.map(servedOpOf));
    const extensions = served.operations.filter((op) => !servedPinterest.has(op));
    expect(extensions.length).toBeGreaterThan(0);
    expect(gaps(extensions)).toEqual([]);
  });

  it('the served /v5/openapi.json describes every answer seen', () => {
    expect(servedMismatches).toEqual([]);
  });
});
