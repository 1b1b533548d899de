// Serves stored image files. Not part of Pinterest's API: these are the URLs pin.media.images points
// at. Anyone holding a URL can fetch it (an <img> tag sends no token), like Pinterest's image CDN, so
// the URL is the permission: its first segment is the image's capability (192 random bits), given only
// to people who may see a pin showing the image. Files behind a URL never change, so responses may be
// cached by browsers and CDNs; once no pin shows the image, this server answers 404 at once, exactly
// as for a capability never issued (docs/security.md#images).
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../platform/errors.js';
import { ErrorSchema } from '../platform/http/schemas.js';
import { embeddableResource } from '../platform/http/browser-security.js';
import type { MediaService } from './media.service.js';

const ImageFileParams = Type.Object({
  capability: Type.String({ maxLength: 64, description: 'The random segment of the image URLs in pin.media.images.' }),
  file: Type.String({ maxLength: 32, description: 'The size and type, e.g. 600x.jpg or originals.png.' }),
});

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function mediaRoutes(app: FastifyInstance, deps: { media: MediaService }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/media/images/:capability/:file',
    {
      helmet: embeddableResource,
      schema: {
        tags: ['media'],
        summary: 'One size of a stored image, e.g. 600x.jpg (the URLs in pin.media.images)',
        operationId: 'media/image',
        params: ImageFileParams,
        response: {
          200: { description: 'The image bytes', content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } },
          304: { description: 'Not modified (If-None-Match matched the ETag)', type: 'null' },
          404: ErrorSchema,
        },
      },
    },
    async (request, typedReply) => {
      // The documented responses describe bytes and an empty 304; the untyped reply sends them as is.
      const reply = typedReply as FastifyReply;
      const file = await deps.media.readFile(request.params.capability, request.params.file);
      if (!file) throw new AppError('IMAGE_NOT_FOUND');
      void reply.header('cache-control', IMMUTABLE).header('etag', file.etag);
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === file.etag || tag.trim() === '*')) {
        return reply.status(304).send();
      }
      return reply.type(file.contentType).send(file.data);
    },
  );
}
