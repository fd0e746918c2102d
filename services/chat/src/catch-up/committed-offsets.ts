import type { Admin } from 'kafkajs';

/**
 * A group's committed offsets, read through the admin client and kept for a
 * moment so a wave of reconnects costs one request. The persistence
 * worker commits only after MongoDB has the records, so "committed ≥ n"
 * means MongoDB holds every message of that partition below n.
 */
export class CommittedOffsets {
  private cached: { at: number; offsets: Map<number, number> } | undefined;
  private loading: Promise<Map<number, number>> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly topic: string,
    private readonly maxAgeMs = 200,
  ) {}

  async atLeast(partition: number, offset: number): Promise<boolean> {
    return ((await this.offsets()).get(partition) ?? -1) >= offset;
  }

  private async offsets(): Promise<Map<number, number>> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.offsets;
    this.loading ??= this.admin
      .fetchOffsets({ groupId: this.groupId, topics: [this.topic] })
      .then((topics) => {
        const offsets = new Map<number, number>();
        for (const { partition, offset } of topics[0]?.partitions ?? [])
          offsets.set(partition, Number(offset));
        this.cached = { at: Date.now(), offsets };
        return offsets;
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
