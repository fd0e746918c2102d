import type { SendAccess } from '@chat/membership';

/**
 * Who may read and write which room. In production this is the room
 * service's membership view (`@chat/membership`: Redis, MongoDB
 * behind it, kept current from room events); tests may give any source.
 */
export interface MembershipCheck {
  /** May read the room (history, catch-up, live messages). */
  isMember(roomId: string, userId: string): Promise<boolean>;
  /** May send to the room and type in it, or why not. */
  sendAccess(roomId: string, userId: string): Promise<SendAccess>;
  /** Everyone in the room now (the presence snapshot asks). */
  membersOf(roomId: string): Promise<string[]>;
  /** An owner or admin: may delete anyone's message in the room. */
  mayModerate(roomId: string, userId: string): Promise<boolean>;
}

/**
 * Remembers positive answers briefly so a burst of sends costs one lookup;
 * `forget` is called when the room changes (a removal takes effect at once
 * on this instance, and within `ttlMs` at worst elsewhere).
 */
export class CachedMembership implements MembershipCheck {
  private readonly read = new Map<string, number>();
  private readonly write = new Map<string, number>();

  constructor(
    private readonly inner: MembershipCheck,
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.cached(this.read, roomId, userId, () => this.inner.isMember(roomId, userId));
  }

  async sendAccess(roomId: string, userId: string): Promise<SendAccess> {
    let access: SendAccess = 'allowed';
    await this.cached(this.write, roomId, userId, async () => {
      access = await this.inner.sendAccess(roomId, userId);
      return access === 'allowed';
    });
    return access;
  }

  /** Not cached: asked once per room a socket resumes, and a list goes stale as members change. */
  membersOf(roomId: string): Promise<string[]> {
    return this.inner.membersOf(roomId);
  }

  /** Not cached: asked only when someone deletes another member's message. */
  mayModerate(roomId: string, userId: string): Promise<boolean> {
    return this.inner.mayModerate(roomId, userId);
  }

  forget(roomId: string): void {
    const prefix = `${roomId}\n`;
    for (const map of [this.read, this.write]) {
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
    }
  }

  private async cached(
    map: Map<string, number>,
    roomId: string,
    userId: string,
    load: () => Promise<boolean>,
  ): Promise<boolean> {
    const key = `${roomId}\n${userId}`;
    const until = map.get(key);
    if (until !== undefined && until > this.now()) return true;
    const allowed = await load();
    if (allowed) {
      if (map.size > 50_000) map.clear();
      map.set(key, this.now() + this.ttlMs);
    } else map.delete(key);
    return allowed;
  }
}
