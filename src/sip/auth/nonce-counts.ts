export type CountCheck = 'fresh' | 'replay';

/**
 * Highest nonce-count seen per nonce, in a bounded LRU. An nc that does not increase is a replay.
 * When an entry must be evicted, the issue time of its nonce becomes a floor: an untracked nonce issued
 * at or before the floor is refused too (the client gets a new nonce), so eviction never reopens a replay.
 */
export class NonceCounts {
  private readonly seen = new Map<string, { nc: number; issuedAt: number }>();
  private floor = -Infinity;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.seen.size;
  }

  record(nonce: string, issuedAt: number, nc: number): CountCheck {
    const entry = this.seen.get(nonce);
    if (entry === undefined) {
      if (issuedAt <= this.floor) return 'replay';
    } else {
      if (nc <= entry.nc) return 'replay';
      this.seen.delete(nonce);
    }
    this.seen.set(nonce, { nc, issuedAt });
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.entries().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest[0]);
      this.floor = Math.max(this.floor, oldest[1].issuedAt);
    }
    return 'fresh';
  }

  /** Forgets nonces issued before `cutoff`: the nonce check refuses them as stale anyway. */
  prune(cutoff: number): void {
    for (const [nonce, entry] of this.seen) {
      if (entry.issuedAt < cutoff) this.seen.delete(nonce);
    }
  }
}
