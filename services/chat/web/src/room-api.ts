import type { RoomErrorCode, RoomSummary, RoomView } from '@chat/contracts';

/** A refusal from the room service, with its code (`ROOM_NOT_FOUND`, `AUTH_EXPIRED`, ...). */
export class RoomApiError extends Error {
  constructor(
    readonly code: RoomErrorCode | 'AUTH_MISSING' | 'AUTH_INVALID' | 'AUTH_EXPIRED' | 'NETWORK',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface ErrorEnvelope {
  error?: { code: RoomApiError['code']; message: string; retryable?: boolean };
}

/** The room service's HTTP API as the page uses it: list, create, read, invite, manage. */
export class RoomApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string,
  ) {}

  async listRooms(): Promise<RoomSummary[]> {
    return (await this.call<{ rooms: RoomSummary[] }>('GET', '/v1/rooms?limit=200')).rooms;
  }

  async getRoom(roomId: string): Promise<RoomView> {
    return (await this.call<{ room: RoomView }>('GET', `/v1/rooms/${encodeURIComponent(roomId)}`)).room;
  }

  /** One idempotency key per attempt of the person's action: a retried request never makes two rooms. */
  async createRoom(name: string, memberIds: string[], idempotencyKey: string): Promise<RoomView> {
    return (
      await this.call<{ room: RoomView }>(
        'POST',
        '/v1/rooms',
        { kind: 'group', name, memberIds },
        idempotencyKey,
      )
    ).room;
  }

  /** The room of a pair: the API returns the pair's room (found again or made), which the page simply opens. */
  async createDirect(userId: string, idempotencyKey: string): Promise<RoomView> {
    return (
      await this.call<{ room: RoomView }>(
        'POST',
        '/v1/rooms',
        { kind: 'direct', memberIds: [userId] },
        idempotencyKey,
      )
    ).room;
  }

  async rename(roomId: string, name: string): Promise<RoomView> {
    return (await this.call<{ room: RoomView }>('PATCH', this.roomPath(roomId), { name })).room;
  }

  async leave(roomId: string): Promise<void> {
    await this.call('POST', `${this.roomPath(roomId)}/leave`);
  }

  async removeMember(roomId: string, userId: string): Promise<RoomView> {
    return (await this.call<{ room: RoomView }>('DELETE', this.memberPath(roomId, 'members', userId))).room;
  }

  /** PUT blocks, DELETE unblocks: repeating either is harmless. */
  async setSenderBlocked(roomId: string, userId: string, blocked: boolean): Promise<RoomView> {
    const path = this.memberPath(roomId, 'blocked-senders', userId);
    return (await this.call<{ room: RoomView }>(blocked ? 'PUT' : 'DELETE', path)).room;
  }

  private roomPath(roomId: string): string {
    return `/v1/rooms/${encodeURIComponent(roomId)}`;
  }

  private memberPath(roomId: string, collection: string, userId: string): string {
    return `${this.roomPath(roomId)}/${collection}/${encodeURIComponent(userId)}`;
  }

  async addMember(roomId: string, userId: string): Promise<RoomView> {
    return (
      await this.call<{ room: RoomView }>('POST', `/v1/rooms/${encodeURIComponent(roomId)}/members`, {
        userId,
      })
    ).room;
  }

  private async call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new RoomApiError('NETWORK', 'The room service cannot be reached.', true);
    }
    const payload = (await response.json().catch(() => ({}))) as T & ErrorEnvelope;
    if (!response.ok) {
      const error = payload.error;
      throw new RoomApiError(
        error?.code ?? 'UNAVAILABLE',
        error?.message ?? `HTTP ${response.status}`,
        error?.retryable ?? response.status >= 500,
      );
    }
    return payload;
  }
}
