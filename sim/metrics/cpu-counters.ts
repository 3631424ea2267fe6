/**
 * Containers' CPU counters, integrated from scrape to scrape. A container's rate changes when its
 * autoscaler's measured load moves, and rate × uptime would then jump down as well as up; adding
 * rate × time since the last scrape keeps the counter growing. Seen for the first time, a
 * container is credited rate × its uptime, so a constant rate still reads as rate × uptime.
 */
export class CpuCounters {
  private readonly entries = new Map<string, { atMs: number; seconds: number; scrape: number }>();
  private scrape = 0;

  /** Starts a scrape; containers not read during it are forgotten at `endScrape`. */
  beginScrape(): void {
    this.scrape++;
  }

  read(key: string, cores: number, uptimeS: number, nowMs: number): number {
    const entry = this.entries.get(key);
    if (!entry) {
      const seconds = cores * uptimeS;
      this.entries.set(key, { atMs: nowMs, seconds, scrape: this.scrape });
      return seconds;
    }
    entry.seconds += cores * Math.max(0, (nowMs - entry.atMs) / 1000);
    entry.atMs = Math.max(entry.atMs, nowMs);
    entry.scrape = this.scrape;
    return entry.seconds;
  }

  /** Drops deleted containers, so the map follows the store. */
  endScrape(): void {
    for (const [key, entry] of this.entries) if (entry.scrape !== this.scrape) this.entries.delete(key);
  }
}
