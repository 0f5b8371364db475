/**
 * Downloading what people attach (photos, documents) from the platform, channel-neutrally.
 */
import type { Channel } from './messages.js';

/** A downloaded file. */
export interface MediaFile {
  data: Buffer;
  mimeType: string;
  fileName?: string;
}

/** The file is bigger than allowed; nothing was stored. */
export class MediaTooLargeError extends Error {
  override name = 'MediaTooLargeError';
  constructor(readonly size: number, readonly max: number) {
    super(`file of ${size} bytes is over the ${max}-byte limit`);
  }
}

/** The platform did not give us the file (expired link, network). */
export class MediaUnavailableError extends Error {
  override name = 'MediaUnavailableError';
}

/** Fetches a platform media handle (Telegram file_id, WhatsApp media id). */
export interface MediaFetcher {
  fetch(channel: Channel, mediaId: string, maxBytes: number): Promise<MediaFile>;
}

/** Routes to the adapter of each channel. */
export class ChannelMediaFetcher implements MediaFetcher {
  constructor(private readonly byChannel: Partial<Record<Channel, (mediaId: string, maxBytes: number) => Promise<MediaFile>>>) {}

  async fetch(channel: Channel, mediaId: string, maxBytes: number): Promise<MediaFile> {
    const f = this.byChannel[channel];
    if (!f) throw new MediaUnavailableError(`no media download on channel ${channel}`);
    return f(mediaId, maxBytes);
  }
}
