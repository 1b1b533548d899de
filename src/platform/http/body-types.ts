// Which body types a route reads. Every route reads JSON; a route that also reads forms says so in its
// schema's `consumes` (the OAuth token endpoints). Routes that judge their own validation
// (`attachValidation`: the HTML sign-in and sign-out forms answer with a page) are left to do so. A body in another type used to be
// parsed anyway (a form, or text) and then judged against the JSON schema, so `curl -d '{"name":"x"}'`
// (sent as a form) was told `missing field "name"`. Now it answers 415 naming what the route reads,
// and a request with no body at all is told so, instead of "must be object".
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const JSON_TYPE = 'application/json';

function readableTypes(request: FastifyRequest): string[] {
  const consumes = request.routeOptions.schema?.consumes ?? [];
  return [JSON_TYPE, ...consumes.filter((type) => type !== JSON_TYPE)];
}

const list = (types: readonly string[]) => (types.length === 1 ? types[0]! : `${types.slice(0, -1).join(', ')} or ${types.at(-1)!}`);

export function registerBodyTypes(app: FastifyInstance, skipRoutes: readonly string[]): void {
  app.addHook('preValidation', async (request) => {
    if (!request.routeOptions.schema?.body || request.routeOptions.attachValidation) return;
    if (request.routeOptions.url !== undefined && skipRoutes.includes(request.routeOptions.url)) return;
    const types = readableTypes(request);
    if (request.body === undefined || request.body === null || request.body === '') {
      throw new AppError('INVALID_PARAMETERS', `Invalid body: the request has no body; send a JSON object (Content-Type: ${JSON_TYPE}).`);
    }
    const sent = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!types.includes(sent)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `This route reads ${list(types)} bodies; the request sent ${sent || 'no Content-Type'}.`);
    }
  });
}
