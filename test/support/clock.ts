/** A clock tests move by hand. */
export class TestClock {
  constructor(private t = new Date('2026-11-30T02:00:00Z')) {}
  now = (): Date => new Date(this.t.getTime());
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
  advanceMinutes(m: number): void {
    this.advance(m * 60_000);
  }
}
