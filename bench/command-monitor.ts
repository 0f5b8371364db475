/**
 * Counts the database commands a connection sends, by name (MongoDB driver command monitoring:
 * `commandStarted` events of the mongoose connection's client; connect.ts turns them on). The
 * driver's own server monitoring (`hello` heartbeats) is not a command and is not counted.
 */
import type { Connection } from 'mongoose';

export interface CommandCounts {
  total: number;
  byName: Record<string, number>;
}

export class CommandMonitor {
  private counts = new Map<string, number>();
  private readonly listener = (e: { commandName: string }) => this.counts.set(e.commandName, (this.counts.get(e.commandName) ?? 0) + 1);

  constructor(private readonly conn: Connection) {
    conn.getClient().on('commandStarted', this.listener);
  }

  /** Counts since construction (or the last `reset`). */
  snapshot(): CommandCounts {
    const byName = Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
    return { total: [...this.counts.values()].reduce((a, b) => a + b, 0), byName };
  }

  reset(): void {
    this.counts = new Map();
  }

  close(): void {
    this.conn.getClient().off('commandStarted', this.listener);
  }
}

/** `find 3, insert 2` */
export const formatCounts = (c: CommandCounts, per = 1): string =>
  Object.entries(c.byName)
    .map(([k, v]) => `${k} ${Math.round((v / per) * 100) / 100}`)
    .join(', ');
