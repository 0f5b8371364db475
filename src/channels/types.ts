/**
 * The sender port a channel implements is owned by the core (src/core/sender.ts); this re-export
 * keeps `channels/types.js` imports of channel code working.
 */
export { SendError, type SendErrorKind, type SendResult, type ChannelSender } from '../core/sender.js';
