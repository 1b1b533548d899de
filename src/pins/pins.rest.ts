// v5 pin routes: /v5/pins (create, list own), /v5/pins/{pin_id} (get, update, delete),
// /v5/pins/{pin_id}/save, and the pin lists of a board and of a board section.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { toV5List } from '../platform/http/pagination.js';
import { commonErrors } from '../platform/http/schemas.js';
import { uploadBodyLimit } from '../platform/http/body-limits.js';
import type { Scope } from '../platform/http/viewer.js';
import type { PinService } from './pin.service.js';
import { presentPin } from './pin.presenter.js';
import type { PinDetails } from './pin.repository.js';
import {
  BoardPinsParams,
  BoardPinsQuery,
  PinCreateBody,
  PinGetQuery,
  PinListQuery,
  PinListSchema,
  PinParams,
  PinSaveBody,
  PinSchema,
  PinUpdateBody,
  PinWriteQuery,
  SectionPinsParams,
  SectionPinsQuery,
} from './pin.schemas.js';

export interface PinRoutesDeps {
  pins: PinService;
  publicBaseUrl: string;
  /** IMAGE_MAX_BYTES: POST /v5/pins must take a base64 image of this size. */
  maxImageBytes: number;
}

// The scopes Pinterest's OpenAPI file lists for each operation.
const READ: Scope[] = ['boards:read', 'pins:read'];
const WRITE: Scope[] = ['boards:read', 'boards:write', 'pins:read', 'pins:write'];

export async function pinRoutes(app: FastifyInstance, deps: PinRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const present = (viewerId: string) => (details: PinDetails) => presentPin(details, viewerId, deps.publicBaseUrl);

  api.post(
    '/v5/pins',
    {
      // Every pin creation fetches or decodes an image: counted as an upload. A base64 image needs more
      // than BODY_LIMIT_BYTES: only a token allowed to make pins may send that much.
      config: { scopes: WRITE, rateCategory: 'uploads', uploadScopes: WRITE },
      bodyLimit: uploadBodyLimit(deps.maxImageBytes),
      schema: {
        tags: ['pins'],
        operationId: 'pins/create',
        querystring: PinWriteQuery,
        body: PinCreateBody,
        response: { 201: PinSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const pin = await deps.pins.create(viewer, request.body);
      return reply.status(201).send(present(viewer.userId)(pin));
    },
  );

  api.get(
    '/v5/pins',
    {
      config: { scopes: READ },
      schema: { tags: ['pins'], operationId: 'pins/list', querystring: PinListQuery, response: { 200: PinListSchema, ...commonErrors } },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return toV5List(await deps.pins.listOwn(viewer, request.query), present(viewer.userId));
    },
  );

  api.get(
    '/v5/pins/:pin_id',
    {
      config: { scopes: READ },
      schema: {
        tags: ['pins'],
        operationId: 'pins/get',
        params: PinParams,
        querystring: PinGetQuery,
        response: { 200: PinSchema, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return present(viewer.userId)(await deps.pins.get(viewer, request.params.pin_id));
    },
  );

  api.patch(
    '/v5/pins/:pin_id',
    {
      config: { scopes: WRITE },
      schema: {
        tags: ['pins'],
        operationId: 'pins/update',
        params: PinParams,
        querystring: PinWriteQuery,
        body: PinUpdateBody,
        response: { 200: PinSchema, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return present(viewer.userId)(await deps.pins.update(viewer, request.params.pin_id, request.body));
    },
  );

  api.delete(
    '/v5/pins/:pin_id',
    {
      config: { scopes: WRITE },
      schema: {
        tags: ['pins'],
        operationId: 'pins/delete',
        params: PinParams,
        querystring: PinWriteQuery,
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.pins.delete(viewerOf(request), request.params.pin_id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/v5/pins/:pin_id/save',
    {
      config: { scopes: WRITE },
      schema: {
        tags: ['pins'],
        operationId: 'pins/save',
        params: PinParams,
        querystring: PinWriteQuery,
        body: PinSaveBody,
        response: { 201: PinSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const pin = await deps.pins.save(viewer, request.params.pin_id, request.body);
      // Saving a pin the board already holds returns that pin, also with 201: Pinterest's file lists
      // no other success status for this operation.
      return reply.status(201).send(present(viewer.userId)(pin));
    },
  );

  api.get(
    '/v5/boards/:board_id/pins',
    {
      config: { scopes: READ },
      schema: {
        tags: ['boards'],
        operationId: 'boards/list_pins',
        params: BoardPinsParams,
        querystring: BoardPinsQuery,
        response: { 200: PinListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return toV5List(await deps.pins.listBoard(viewer, request.params.board_id, request.query), present(viewer.userId));
    },
  );

  api.get(
    '/v5/boards/:board_id/sections/:section_id/pins',
    {
      config: { scopes: READ },
      schema: {
        tags: ['board_sections'],
        operationId: 'board_sections/list_pins',
        params: SectionPinsParams,
        querystring: SectionPinsQuery,
        response: { 200: PinListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const { board_id, section_id } = request.params;
      return toV5List(await deps.pins.listSection(viewer, board_id, section_id, request.query), present(viewer.userId));
    },
  );
}
