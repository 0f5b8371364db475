/**
 * A clock tests move by hand. It starts at the real time (to the second) because webhook payloads
 * carry real timestamps, and WhatsApp's 24-hour window is measured from them.
 */
export class TestClock {
  constructor(private t = new Date(Math.floor(Date.now() / 1000) * 1000)) {}
  now = (): Date => new Date(this.t.getTime());
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
  advanceMinutes(m: number): void {
    this.advance(m * 60_000);
  }
}
