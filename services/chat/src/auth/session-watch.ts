import type { Principal, SessionRevocations } from '@chat/auth';
import type { Logger } from '@chat/runtime';
import type { ChatServer } from '../socket/handlers.js';

/** How often live sockets' sessions are checked against the revocations. */
export const SESSION_CHECK_INTERVAL_MS = 2_000;
/** Most keys read per Redis call. */
const BATCH = 500;

function sessionOf(socket: { data: unknown }): string | undefined {
  return (socket.data as { principal?: Principal }).principal?.sessionId;
}

/**
 * Closes the sockets of signed-out sessions within a few seconds: every
 * interval, the session ids of this instance's sockets are looked up in the
 * revocations (one MGET per 500 sessions). Redis down: sockets stay open
 * until it is back (their tokens still expire at reconnect).
 */
export class SessionWatch {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: ChatServer,
    private readonly revocations: SessionRevocations,
    private readonly log: Logger,
    private readonly intervalMs = SESSION_CHECK_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.checkOnce().catch((error: unknown) =>
        this.log.warn({ err: (error as Error).message }, 'session revocations not checked'),
      );
    }, this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async checkOnce(): Promise<void> {
    const sockets = [...this.io.sockets.sockets.values()];
    const sessions = [...new Set(sockets.map(sessionOf).filter((id): id is string => Boolean(id)))];
    for (let start = 0; start < sessions.length; start += BATCH) {
      const revoked = await this.revocations.revoked(sessions.slice(start, start + BATCH));
      if (!revoked.size) continue;
      for (const socket of sockets) {
        const sessionId = sessionOf(socket);
        if (sessionId && revoked.has(sessionId)) socket.disconnect(true);
      }
    }
  }
}
