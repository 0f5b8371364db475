/**
 * Leases in a map: the in-memory `LeaseStore` (src/core/leases.ts). An insert of a name present
 * fails, as the database's unique `_id` does; it counts the commands each call would cost, so a
 * spec can say how many round trips a step takes.
 */
import type { LeaseRecord, LeaseStore } from '../../src/core/leases.js';

export class MemoryLeaseStore implements LeaseStore {
  readonly leases = new Map<string, LeaseRecord>();
  commands = 0;

  async insert(name: string, owner: string, until: Date): Promise<boolean> {
    this.commands++;
    if (this.leases.has(name)) return false;
    this.leases.set(name, { owner, until });
    return true;
  }

  async get(name: string): Promise<LeaseRecord | null> {
    this.commands++;
    const l = this.leases.get(name);
    return l ? { ...l } : null;
  }

  async deleteIfUnchanged(name: string, held: LeaseRecord): Promise<void> {
    this.commands++;
    const l = this.leases.get(name);
    if (l && l.owner === held.owner && l.until.getTime() === held.until.getTime()) this.leases.delete(name);
  }

  async extend(name: string, owner: string, until: Date): Promise<boolean> {
    this.commands++;
    const l = this.leases.get(name);
    if (!l || l.owner !== owner) return false;
    l.until = until;
    return true;
  }

  async delete(name: string, owner: string): Promise<void> {
    this.commands++;
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  async deleteMany(names: readonly string[], owner: string): Promise<void> {
    this.commands++;
    for (const n of names) if (this.leases.get(n)?.owner === owner) this.leases.delete(n);
  }

  async put(name: string, owner: string, until: Date): Promise<void> {
    this.commands++;
    this.leases.set(name, { owner, until });
  }

  async remove(name: string): Promise<void> {
    this.commands++;
    this.leases.delete(name);
  }
}
