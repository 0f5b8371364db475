/**
 * The result of the understanding step. The types belong to the engine's port
 * (src/core/understanding.ts), which this step implements; re-exported here for domain code.
 */
export type { DateSlot, Decision, IntentId, IntentScore, MessageLanguage, Slots, TicketSlot, TimeSlot, UnderstandContext, Understanding } from '../../core/understanding.js';
