// Photos of a shelter (the shelter card, issue 14): operators and admins upload a picture of the entrance or the
// sign; anyone may fetch it (the public card shows it). The type is read from the bytes, never from the request's
// Content-Type or a file name: a PNG sent as image/jpeg is stored as a PNG, an HTML page sent as image/png is refused.
// Each photo may have a caption (what it shows, in the operator's words): given at upload (?caption=), changed with
// PATCH; the card shows it under the photo and as its alt text. The operator may also put the photos in order.
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { actorOf } from '../auth.ts';
import { HttpProblem, sendProblem } from '../problem.ts';
import { MAX_CAPTION_CHARS, MAX_PHOTO_BYTES, MAX_PHOTOS, normalizeCaption, RegistryError, type ShelterPhoto, type ShelterRegistry } from '../../registry/index.ts';
import type { ShelterRepository } from '../../registry/ports.ts';
import { shelterFeature } from '../../registry/export.ts';

const EDITORS = ['admin', 'operator'] as const;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** The image type the bytes are, by their signature; null for anything else (HTML, SVG, GIF, a PDF ...). */
export function sniffImage(b: Uint8Array): ShelterPhoto['contentType'] | null {
  const at = (i: number, ...bytes: number[]) => bytes.every((v, k) => b[i + k] === v);
  if (b.length >= 4 && at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (b.length >= 16 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (b.length >= 16 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

const params = {
  type: 'object', required: ['id', 'photoId'],
  properties: { id: { type: 'string', maxLength: 100 }, photoId: { type: 'string', maxLength: 100 } },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
// Loose on purpose: the length is judged after trimming, in characters, by normalizeCaption (a 400 naming the field).
const captionSchema = {
  type: ['string', 'null'], maxLength: 4 * MAX_CAPTION_CHARS,
  description: `What the photo shows, in any language (at most ${MAX_CAPTION_CHARS} characters after trimming, no control characters; empty or null: none). The card shows it under the photo and as its alt text.`,
} as const;
const photoSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, url: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, addedAt: { type: 'string' }, caption: { type: ['string', 'null'] }, shelterVersion: { type: 'integer' } },
} as const;

/** The caption as stored, or a 400 naming `field`. */
function caption(raw: unknown, field: string): string | null {
  const c = normalizeCaption(raw);
  if ('reason' in c) throw new HttpProblem('INVALID_REQUEST', `Invalid ${field}: ${c.reason}`, [{ field, reason: c.reason }]);
  return c.caption;
}

export interface ShelterPhotoRouteOptions {
  registry: ShelterRegistry;
  /** The store the photos' bytes are in (the shelter store). */
  photos: Pick<ShelterRepository, 'addPhoto' | 'deletePhoto' | 'photo' | 'setPhotoCaption' | 'reorderPhotos'>;
}

export const shelterPhotoRoutes: FastifyPluginAsync<ShelterPhotoRouteOptions> = async (app, opts) => {
  const { registry: reg, photos } = opts;
  // Any body arrives as bytes here (the type is judged from them); JSON keeps its parser and is refused below.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, request, reply) => sendProblem(request, reply, err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
    ? new HttpProblem('PHOTO_TOO_LARGE', `A photo may be at most ${MAX_PHOTO_BYTES} bytes (${MAX_PHOTO_BYTES / 1024 / 1024} MB); make it smaller and send it again`)
    : err));

  app.post('/api/shelters/:id/photos', {
    bodyLimit: MAX_PHOTO_BYTES,
    config: { roles: EDITORS },
    schema: {
      summary: `Add a photo (JPEG, PNG or WebP as the request body, at most ${MAX_PHOTO_BYTES} bytes; the type is read from the bytes), with its caption in ?caption=`,
      tags: ['shelters'], params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { caption: { ...captionSchema, type: 'string' } } },
      response: {
        201: { ...photoSchema, description: 'The photo as stored (Location: its URL); shelterVersion is the shelter\'s version after the change' },
        400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' },
      },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const current = reg.get(id);
    if (!current) throw new HttpProblem('SHELTER_NOT_FOUND', `No shelter with id ${id}`);
    const text = caption((request.query as { caption?: string }).caption, 'querystring.caption');
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the photo itself as the request body (JPEG, PNG or WebP bytes), not a form or JSON', [{ field: 'body', reason: 'must be the bytes of a JPEG, PNG or WebP image' }]);
    }
    const type = sniffImage(body);
    if (!type) {
      throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', `The body is not a JPEG, PNG or WebP image (whatever its Content-Type says: ${request.headers['content-type'] ?? 'none'})`,
        [{ field: 'body', reason: `must be a ${PHOTO_TYPES.join(', ')} image` }]);
    }
    if ((current.photos ?? []).length >= MAX_PHOTOS) {
      throw new HttpProblem('TOO_MANY_PHOTOS', `Shelter ${id} already has ${MAX_PHOTOS} photos, the most it may have; delete one first`, [{ field: 'body', reason: `at most ${MAX_PHOTOS} photos per shelter` }]);
    }
    const photo: ShelterPhoto = { id: randomUUID(), contentType: type, size: body.length, addedAt: new Date().toISOString(), caption: text };
    const stored = await photos.addPhoto(id, photo, body, actorOf(request));
    if (!stored) throw new HttpProblem('SHELTER_NOT_FOUND', `No shelter with id ${id}`);
    await reg.refresh([id]); // the record in memory (and so the map's snapshot) now lists the photo
    const s = reg.get(id) ?? stored;
    const url = shelterFeature(s).properties.photos.find((p) => p.id === photo.id)!.url;
    return reply.code(201).header('location', url).header('etag', `"${s.version}"`).send({ ...photo, url, shelterVersion: s.version });
  });

  app.get('/api/shelters/:id/photos/:photoId', {
    config: { roles: ['public'] },
    schema: { summary: 'A photo of a shelter (its bytes; cacheable, never changes)', tags: ['shelters'], params, response: { 200: { description: 'The image (image/jpeg, image/png or image/webp)' }, 304: { description: 'Not modified' }, 404: { $ref: 'Problem#' } } },
  }, async (request, reply) => {
    const { id, photoId } = request.params as { id: string; photoId: string };
    const found = await photos.photo(id, photoId);
    if (!found) throw new HttpProblem('PHOTO_NOT_FOUND', `Shelter ${id} has no photo ${photoId}`);
    const etag = `"${found.photo.id}"`;
    // A photo id names one set of bytes for ever (a new upload gets a new id): cache it as long as there is.
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag)
      .header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', 'inline').type(found.photo.contentType);
    if (request.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
    return reply.send(found.data);
  });

  app.delete('/api/shelters/:id/photos/:photoId', {
    config: { roles: EDITORS },
    schema: { summary: 'Remove a photo of a shelter', tags: ['shelters'], params, response: { 200: { $ref: 'ShelterFeature#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } } },
  }, async (request, reply) => {
    const { id, photoId } = request.params as { id: string; photoId: string };
    if (!reg.get(id)) throw new HttpProblem('SHELTER_NOT_FOUND', `No shelter with id ${id}`);
    const stored = await photos.deletePhoto(id, photoId, actorOf(request));
    if (!stored) throw new HttpProblem('PHOTO_NOT_FOUND', `Shelter ${id} has no photo ${photoId}`, [{ field: 'params.photoId', reason: 'no such photo of this shelter' }]);
    await reg.refresh([id]);
    const s = reg.get(id) ?? stored;
    return reply.code(200).header('etag', `"${s.version}"`).send(shelterFeature(s));
  });

  app.patch('/api/shelters/:id/photos/:photoId', {
    config: { roles: EDITORS },
    schema: {
      summary: 'Change a photo\'s caption ({"caption": "..."}; empty or null removes it)', tags: ['shelters'], params,
      body: { type: 'object', additionalProperties: false, required: ['caption'], properties: { caption: captionSchema } },
      response: { 200: { $ref: 'ShelterFeature#' }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const { id, photoId } = request.params as { id: string; photoId: string };
    const text = caption((request.body as { caption: unknown }).caption, 'body.caption');
    if (!reg.get(id)) throw new HttpProblem('SHELTER_NOT_FOUND', `No shelter with id ${id}`);
    const stored = await photos.setPhotoCaption(id, photoId, text, actorOf(request));
    if (!stored) throw new HttpProblem('PHOTO_NOT_FOUND', `Shelter ${id} has no photo ${photoId}`, [{ field: 'params.photoId', reason: 'no such photo of this shelter' }]);
    await reg.refresh([id]);
    const s = reg.get(id) ?? stored;
    return reply.code(200).header('etag', `"${s.version}"`).send(shelterFeature(s));
  });

  app.put('/api/shelters/:id/photos/order', {
    config: { roles: EDITORS },
    schema: {
      summary: 'Put the photos in this order ({"order": [photo ids]}: every photo of the shelter once; the card shows them so)', tags: ['shelters'], params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['order'],
        properties: { order: { type: 'array', maxItems: MAX_PHOTOS, items: { type: 'string', maxLength: 100 } } },
      },
      response: { 200: { $ref: 'ShelterFeature#' }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { order } = request.body as { order: string[] };
    const current = reg.get(id);
    if (!current) throw new HttpProblem('SHELTER_NOT_FOUND', `No shelter with id ${id}`);
    const ids = (current.photos ?? []).map((p) => p.id);
    const unknown = order.find((p) => !ids.includes(p));
    const reason = unknown !== undefined ? `${unknown} is not a photo of this shelter`
      : new Set(order).size !== order.length ? 'names a photo twice'
        : order.length !== ids.length ? `must name every photo of the shelter (${ids.length}), not ${order.length}` : null;
    if (reason) throw new HttpProblem('INVALID_REQUEST', `Invalid body.order: ${reason}`, [{ field: 'body.order', reason }]);
    const stored = await photos.reorderPhotos(id, order, actorOf(request));
    // Checked above against the record in memory; null here means a photo was added or removed meanwhile.
    if (!stored) throw new RegistryError('VERSION_CONFLICT', `The photos of shelter ${id} changed meanwhile; reload them and put them in order again`);
    await reg.refresh([id]);
    const s = reg.get(id) ?? stored;
    return reply.code(200).header('etag', `"${s.version}"`).send(shelterFeature(s));
  });
};
