// A walk worker: holds a LiveGraph over the shared snapshot, applies the GraphOps the main thread
// broadcasts (in order, before any walk sent after them), and answers walk requests.
import { parentPort } from 'node:worker_threads';
import { LiveGraph } from './pin-board-graph.js';
import { PixieWalker } from './pixie.js';
import type { WorkerRequest, WorkerReply } from './walk-protocol.js';

let walker: PixieWalker | undefined;

function handle(message: WorkerRequest): WorkerReply | undefined {
  switch (message.type) {
    case 'graph': {
      const graph = new LiveGraph(message.snapshot);
      for (const op of message.ops) graph.apply(op);
      walker = new PixieWalker(graph);
      return undefined;
    }
    case 'ops':
      for (const op of message.ops) walker?.graph.apply(op);
      return undefined;
    case 'walk': {
      if (!walker) return { type: 'error', id: message.id, message: 'no graph yet' };
      return { type: 'result', id: message.id, result: walker.recommend(message.request) };
    }
  }
}

parentPort?.on('message', (message: WorkerRequest) => {
  let reply: WorkerReply | undefined;
  try {
    reply = handle(message);
  } catch (error) {
    reply = message.type === 'walk' ? { type: 'error', id: message.id, message: String(error) } : undefined;
  }
  if (reply?.type === 'result') {
    parentPort?.postMessage(reply, [reply.result.pins.buffer, reply.result.scores.buffer]);
  } else if (reply) {
    parentPort?.postMessage(reply);
  }
});
