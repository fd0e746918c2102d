import type { ChatMessage, ClientToServerEvents, SendAck, ServerToClientEvents } from '@chat/contracts';
import { waitFor } from '@chat/testkit';
import { io, type Socket } from 'socket.io-client';

type Socketed = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A person on the web page's protocol: an access token, a socket, the messages it received. */
export class ChatUser {
  readonly received: ChatMessage[] = [];
  private constructor(
    readonly token: string,
    readonly socket: Socketed,
  ) {
    socket.on('message', (message) => this.received.push(message));
  }

  static async signIn(chatUrl: string, userId: string): Promise<ChatUser> {
    const response = await fetch(`${chatUrl}/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, name: userId }),
    });
    if (!response.ok) throw new Error(`dev sign-in answered HTTP ${response.status}`);
    const { token } = (await response.json()) as { token: string };
    return ChatUser.connect(chatUrl, token);
  }

  /** Connects with an access token from anywhere: the development sign-in or the identity service. */
  static async connect(chatUrl: string, token: string): Promise<ChatUser> {
    const socket: Socketed = io(chatUrl, { auth: { token }, transports: ['websocket'], forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return new ChatUser(token, socket);
  }

  /** Creates a group room with `memberIds` through the room service's HTTP API. */
  async createRoom(roomApiUrl: string, memberIds: string[]): Promise<string> {
    const response = await fetch(`${roomApiUrl}/v1/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'group', name: 'container test', memberIds }),
    });
    if (!response.ok) throw new Error(`creating a room answered HTTP ${response.status}`);
    return ((await response.json()) as { room: { roomId: string } }).room.roomId;
  }

  /** Joins the room's live stream from its start. */
  async resume(roomId: string): Promise<void> {
    const reply = await this.socket.timeout(15_000).emitWithAck('resume', { rooms: [{ roomId, after: -1 }] });
    if ('error' in reply) throw new Error(`resume refused: ${reply.error.code}`);
  }

  /**
   * Sends until accepted, retrying with the same clientMessageId (the protocol's rule) while the
   * gateway does not know the new room's membership yet; returns the acked messageId.
   */
  async send(roomId: string, clientMessageId: string, text: string): Promise<string> {
    return waitFor(
      `send ${clientMessageId} acked`,
      async () => {
        const reply: SendAck = await this.socket
          .timeout(15_000)
          .emitWithAck('send', { roomId, clientMessageId, text });
        if ('error' in reply) {
          if (reply.error.retryable || reply.error.code === 'NOT_A_MEMBER') return undefined;
          throw new Error(`send refused: ${reply.error.code}`);
        }
        return reply.messageId;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  disconnect(): void {
    this.socket.disconnect();
  }
}
