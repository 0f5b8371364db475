/**
 * Every conversation the bot offers. The engine builds the main menu from the flows that declare
 * a `menu` entry, so the menu only ever offers what is registered here.
 */
import type { Flow } from '../src/core/flow.js';
import type { AppServices } from '../src/services.js';

export function allFlows(): Flow<AppServices>[] {
  return [];
}
