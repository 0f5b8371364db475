/**
 * Takes a photo a resident sent into a complaint draft: checks it is an image within the size
 * limit, downloads it from the platform at once (links expire) and stores it in GridFS.
 */
import type { Logger } from 'pino';
import { MediaTooLargeError, MediaUnavailableError, type MediaFetcher } from '../../core/media.js';
import type { Channel, InboundContent } from '../../core/messages.js';
import { maskId } from '../../logging/mask.js';
import type { ComplaintMediaStore } from './media-store.js';
import type { DraftPhoto } from './service.js';

export type PhotoIntakeResult =
  | { kind: 'stored'; photo: DraftPhoto }
  | { kind: 'not-image' }
  | { kind: 'too-large'; maxBytes: number }
  | { kind: 'unavailable' }
  | { kind: 'failed' };

const IMAGE_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/png', 'image/webp', 'image/heic', 'image/heif']);

/** True for inbound media that can be a complaint photo (a photo, or an image sent as a file). */
export function isPhotoInput(input: InboundContent): input is Extract<InboundContent, { kind: 'media' }> {
  if (input.kind !== 'media') return false;
  if (input.mediaType === 'image') return true;
  return input.mediaType === 'document' && IMAGE_TYPES.has((input.mimeType ?? '').toLowerCase());
}

export class PhotoIntake {
  constructor(
    private readonly deps: { fetcher: MediaFetcher; store: ComplaintMediaStore; maxBytes: number; logger: Logger },
  ) {}

  get maxBytes(): number {
    return this.deps.maxBytes;
  }

  async take(input: InboundContent, who: { channel: Channel; userKey: string }, key: string, now: Date): Promise<PhotoIntakeResult> {
    if (!isPhotoInput(input)) return { kind: 'not-image' };
    const { fetcher, store, maxBytes, logger } = this.deps;
    if (input.fileSize !== undefined && input.fileSize > maxBytes) return { kind: 'too-large', maxBytes };
    try {
      const file = await fetcher.fetch(who.channel, input.mediaId, maxBytes);
      const mimeType = IMAGE_TYPES.has(file.mimeType.toLowerCase()) ? file.mimeType.toLowerCase() : (input.mimeType ?? 'image/jpeg');
      const saved = await store.save(file.data, mimeType, { key, channel: who.channel, userKey: who.userKey, uploadedAt: now });
      return { kind: 'stored', photo: { fileId: saved.fileId, mimeType, size: saved.size } };
    } catch (err) {
      if (err instanceof MediaTooLargeError) return { kind: 'too-large', maxBytes };
      if (err instanceof MediaUnavailableError) {
        logger.warn({ channel: who.channel, user: maskId(who.userKey), err: err.message }, 'complaint photo could not be downloaded');
        return { kind: 'unavailable' };
      }
      logger.error({ err, channel: who.channel, user: maskId(who.userKey) }, 'complaint photo could not be stored');
      return { kind: 'failed' };
    }
  }
}
