/**
 * A keyed lock in one process: holders of the same key run one after another, whatever the
 * earlier holder's outcome. The service's KeyedLock (src/core/keyed-lock.ts) does the same across
 * instances with a lease taken by unique insert; unit specs of the forum and complaint services
 * use this one.
 */
export class MemoryKeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async with<T>(id: { toString(): string }, fn: () => Promise<T>): Promise<T> {
    const key = String(id);
    const mine = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
    this.tails.set(key, mine.catch(() => undefined));
    return mine;
  }
}
