// Contract rows for POST /v5/events (extension): a stored batch, a resent event, each refusal with its
// own code, and a secret pin of someone else answering like a missing one. The pins are erin's, made by
// the first row, so the rows before (which delete boards and pins) cannot take them away.
import { expect } from 'vitest';
import { createBoard, createPin } from '../../support/fixtures.js';
import { missingScope, noToken, row, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const OP = 'POST /v5/events';

async function erinPins(w: ContractWorld): Promise<{ open: string; secret: string }> {
  if (!w.memo.has('events public pin')) {
    const board = await createBoard(w.t, w.erin, { name: 'Events board' });
    const secretBoard = await createBoard(w.t, w.erin, { name: 'Events secret', privacy: 'SECRET' });
    w.memo.set('events public pin', (await createPin(w.t, w.erin, board.id)).id);
    w.memo.set('events secret pin', (await createPin(w.t, w.erin, secretBoard.id)).id);
  }
  return { open: w.memo.get('events public pin')!, secret: w.memo.get('events secret pin')! };
}

const send = (events: (pins: { open: string; secret: string }) => object[]) => async (w: ContractWorld): Promise<Req> => ({
  url: '/v5/events',
  as: w.frank,
  payload: { events: events(await erinPins(w)) },
});

const one = send((pins) => [{ kind: 'impression', pin_id: pins.open, surface: 'home_feed', client_event_id: 'contract-1' }]);

export const eventCases: Case[] = [
  row(OP, 'stores a batch', 200, one, {
    check: (body) => expect(body).toEqual({ num_events_received: 1, num_events_processed: 1, events: [{ status: 'processed' }] }),
  }),
  row(OP, 'an event resent with the same client_event_id is stored once', 200, one, {
    check: (body) => expect(body).toMatchObject({ num_events_processed: 0, events: [{ status: 'duplicate' }] }),
  }),
  row(OP, 'unknown kind', 400, send((pins) => [{ kind: 'like', pin_id: pins.open }]), { code: 4302 }),
  row(OP, 'malformed pin id', 400, send(() => [{ kind: 'click', pin_id: 'pin-1' }]), { code: 4002 }),
  row(OP, 'more than 100 events', 400, send((pins) => Array.from({ length: 101 }, () => ({ kind: 'impression', pin_id: pins.open }))), { code: 4301 }),
  row(OP, 'occurred_at in the future', 400, send((pins) => [{ kind: 'impression', pin_id: pins.open, occurred_at: '2999-01-01T00:00:00Z' }]), { code: 4303 }),
  row(OP, 'a secret pin of someone else', 404, send((pins) => [{ kind: 'closeup', pin_id: pins.secret }]), { code: 50 }),
  noToken(OP, one),
  missingScope(OP, one, (w) => w.boardsReadOnly),
];
