import type { Admin } from 'kafkajs';

/**
 * The messages topic's end per partition, read by a request sent after the
 * call: what a room feed needs once it is subscribed (every record past that
 * end is published after the subscription). Calls made before a request
 * goes out share it, so a wave of rooms opening costs one request.
 */
export class FreshHighWatermarks {
  private pending: Promise<Map<number, number>> | undefined;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly admin: Admin,
    private readonly topic: string,
  ) {}

  read(): Promise<Map<number, number>> {
    if (!this.pending) {
      const next = this.last
        .catch(() => undefined)
        .then(() => {
          // From here on, a new call waits for a request of its own.
          this.pending = undefined;
          return this.fetch();
        });
      this.pending = next;
      this.last = next;
    }
    return this.pending;
  }

  private async fetch(): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
  }
}
