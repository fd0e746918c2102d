/** What a received messages-topic record means for its room's feed. */
export type FeedStep =
  /** Above everything received: add it. */
  | 'next'
  /** At or below what was received (a replay after an owner change): the window drops it anyway. */
  | 'old'
  /** The owner says a record of the room came in between and this instance never got it: resync the room. */
  | 'gap';

/**
 * Per room, the highest messages-topic offset received since the feed was
 * opened at `from`, checked against each record's `before` (the owner's
 * previous record of the room). Offsets are partition offsets, so a room's
 * positions have gaps by nature: only the owner's pointer can show that one
 * of them was a record lost on the way (a dropped Redis subscription, a
 * publish that failed while a later one got through).
 */
export class FeedSequence {
  private readonly last = new Map<string, number>();

  open(roomId: string, from: number): void {
    this.last.set(roomId, from - 1);
  }

  close(roomId: string): void {
    this.last.delete(roomId);
  }

  isOpen(roomId: string): boolean {
    return this.last.has(roomId);
  }

  step(roomId: string, offset: number, before: number): FeedStep {
    const last = this.last.get(roomId);
    if (last === undefined) return 'old';
    if (offset <= last) return 'old';
    this.last.set(roomId, offset);
    return before > last ? 'gap' : 'next';
  }
}
