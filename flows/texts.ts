/**
 * The engine's own words moved to the core (src/core/texts.ts); flows import `fill` and `t` from
 * there. This re-export keeps `flows/texts.js` imports of flows in flight working.
 */
export { fill, t, type TextKey } from '../src/core/texts.js';
