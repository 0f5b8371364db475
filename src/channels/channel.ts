/**
 * A channel, as app.ts sees it: one factory per platform builds its sender, its staff
 * destinations and who counts as staff there, its media download, its read receipts, its webhook
 * routes and its start/stop (webhook registration, long polling). app.ts lists the factories;
 * everything per channel (staff targets, media, read receipts, reminder lanes) derives from the
 * channels that are switched on, so a new channel is one new factory and one line in that list.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ContactsService } from '../core/contacts-service.js';
import type { DeliveryService } from '../core/delivery-service.js';
import type { InboxProcessor } from '../core/inbox-processor.js';
import type { MediaFile } from '../core/media.js';
import type { Channel, InboundMessage } from '../core/messages.js';
import type { StaffTarget } from '../core/notifier.js';
import type { ChannelSender } from '../core/sender.js';

/** What a channel gets once the inbox exists: where to store what arrives. */
export interface ChannelConnectDeps {
  http: FastifyInstance;
  processor: InboxProcessor<unknown>;
  contacts: ContactsService;
  deliveries: DeliveryService;
}

/** One switched-on channel. */
export interface EnabledChannel {
  readonly channel: Channel;
  /** The outbound side, handed to the outbox. */
  readonly sender: ChannelSender;
  /** Where staff alerts go on this channel (configured chat ids / numbers). */
  readonly staffTargets: StaffTarget[];
  /** Whether a person on this channel is staff. */
  isStaff(userKey: string, chatId: string): boolean;
  /** Downloads a photo or file a person sent (absent: the channel has no media). */
  fetchMedia?(mediaId: string, maxBytes: number): Promise<MediaFile>;
  /** Read receipt after a message was handled (absent: the platform has none). */
  markRead?(msg: InboundMessage): Promise<void>;
  /** Registers the channel's webhook routes and builds its inbound side. */
  connect(deps: ChannelConnectDeps): Promise<void>;
  /** After the server listens: set the webhook or start polling. Errors are logged, not thrown. */
  start?(): Promise<void>;
  /** Stops polling (webhooks stop with the server). */
  stop?(): void;
}

/** What every channel factory gets besides its own configuration. */
export interface ChannelEnv {
  logger: Logger;
  clock: () => Date;
}
