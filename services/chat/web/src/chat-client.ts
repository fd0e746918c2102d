import type {
  ChatMessage,
  ClientToServerEvents,
  ErrorBody,
  HistoryAck,
  RoomSummary,
  ServerToClientEvents,
  UnreadRoomResult,
} from '@chat/contracts';
import { SOCKET_ERRORS } from '@chat/contracts/socket-errors';
import { io, type Socket } from 'socket.io-client';
import { userIdsFromNames } from './identity.js';
import { NameDirectory, type IdentityApi } from './identity-api.js';
import { applyUpdate, requestChange } from './message-changes.js';
import { ReadMarkers } from './read-markers.js';
import { retryDelay } from './retry-delay.js';
import { RoomApi } from './room-api.js';
import {
  applyReceipt,
  mergeMessages,
  newestFromOthers,
  settlePending,
  type PendingMessage,
  type Tick,
} from './room-state.js';
import type { Session } from './session.js';

/** What the banner shows: `catching-up` from (re)connect until every room's resume is answered. */
export type ConnectionState = 'connecting' | 'catching-up' | 'online' | 'reconnecting' | 'offline';

export interface RoomState {
  summary: RoomSummary;
  /** Durable messages, ascending by position. */
  messages: ChatMessage[];
  pending: PendingMessage[];
  receipts: Record<string, Tick>;
  typing: string[];
  hasOlder: boolean;
  loadingOlder: boolean;
  lastRead: number;
  /** Direct rooms: the other person, whose name the room shows. */
  peerId?: string;
  /** The gateway's unread count from its stored read watermark (`unread`), as of the last (re)connect. */
  serverUnread?: UnreadRoomResult;
}

export interface ChatState {
  connection: ConnectionState;
  rooms: Record<string, RoomState>;
  activeRoomId?: string;
  /** Who is online: the resume's snapshots, then presence and typing events; not a directory of everyone. */
  online: Record<string, boolean>;
  notice?: string;
  /** Bumped when a display name was learned or changed, so names re-render. */
  namesVersion: number;
}

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const HISTORY_PAGE = 30;
/** A fallback only: `rooms-changed` tells the page at once, and every (re)connect lists the rooms. */
const ROOM_POLL_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
const TYPING_REPEAT_MS = 2_000;
const TYPING_IDLE_MS = 3_000;
const RECEIPT_DEBOUNCE_MS = 250;
/** The most rooms one `unread` request may name (the gateway's limit, as for `resume`). */
const MAX_UNREAD_ROOMS = 200;

/** A send the gateway did not answer in time: it may have been accepted, so a retry reuses its clientMessageId. */
const NO_ANSWER_TEXT = 'No answer from the chat; it may not have been sent.';

const isError = (reply: unknown): reply is { error: ErrorBody } =>
  typeof reply === 'object' && reply !== null && 'error' in reply;

/**
 * The page's engine: one Socket.IO connection, the rooms it holds, the send
 * queue. Transport and protocol live here; components only read `state`
 * and call the methods. Catch-up follows docs/protocol.md: after every
 * (re)connect, `resume` every room from the highest position held.
 */
export class ChatClient {
  state: ChatState = { connection: 'connecting', rooms: {}, online: {}, namesVersion: 0 };
  readonly api: RoomApi;
  readonly names: NameDirectory;
  private readonly socket: ChatSocket;
  private readonly markers: ReadMarkers;
  private readonly listeners = new Set<() => void>();
  /** The clientMessageId being sent per room: one at a time keeps the typed order. */
  private readonly inFlight = new Map<string, string>();
  /** Retries so far of each room's next queued send, for its backoff. */
  private readonly sendRetries = new Map<string, number>();
  private readonly receiptTimers = new Map<string, number>();
  private readonly lastReceipt = new Map<string, string>();
  /** Highest edit or delete position seen per room: a resume starts after it too. */
  private readonly changeMarks = new Map<string, number>();
  private typingSentAt = 0;
  private typingIdle: number | undefined;
  private pollTimer: number | undefined;
  /** The first connect follows start()'s own room list; later ones list the rooms again. */
  private connectedBefore = false;

  constructor(
    readonly session: Session,
    roomApiUrl: string,
    private readonly renewSession: () => Promise<Session | undefined>,
    readonly identity?: IdentityApi,
  ) {
    this.api = new RoomApi(roomApiUrl, () => this.session.token);
    this.names = new NameDirectory(
      identity,
      () => this.session.token,
      () => this.update({ namesVersion: this.state.namesVersion + 1 }),
    );
    if (session.handle)
      this.names.learned({ userId: session.userId, handle: session.handle, displayName: session.name });
    this.markers = new ReadMarkers(session.userId);
    this.socket = io({
      auth: (callback) => callback({ token: this.session.token }),
      transports: ['websocket', 'polling'],
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    this.wire();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    await this.refreshRooms();
    this.pollTimer = window.setInterval(() => void this.refreshRooms().catch(() => undefined), ROOM_POLL_MS);
    window.addEventListener('offline', this.goOffline);
    window.addEventListener('online', this.goOnline);
    document.addEventListener('visibilitychange', this.markActiveRead);
    if (navigator.onLine) this.socket.connect();
    else this.update({ connection: 'offline' });
  }

  stop(): void {
    window.clearInterval(this.pollTimer);
    window.removeEventListener('offline', this.goOffline);
    window.removeEventListener('online', this.goOnline);
    document.removeEventListener('visibilitychange', this.markActiveRead);
    this.socket.disconnect();
  }

  /** The display name to show for a user id (the id until it is known). */
  nameOf(userId: string): string {
    return this.names.nameOf(userId);
  }

  /**
   * User ids for people typed by handle (accounts) or by name (development
   * sign-in: the id is the normalised name), comma or line separated.
   */
  async userIdsFor(typed: string): Promise<string[]> {
    if (!this.identity) return userIdsFromNames(typed);
    const handles = [
      ...new Set(
        typed
          .split(/[,\n]/)
          .map((part) => part.trim().replace(/^@/, '').toLowerCase())
          .filter(Boolean),
      ),
    ];
    const ids: string[] = [];
    for (const handle of handles) {
      const match = (await this.identity.search(this.session.token, handle)).find(
        (user) => user.handle === handle,
      );
      if (!match) throw new Error(`No one has the handle "${handle}".`);
      this.names.learned(match);
      ids.push(match.userId);
    }
    return ids;
  }

  /** People whose handle starts with `prefix`, for suggestions while typing an invitation. */
  async suggest(prefix: string): Promise<{ handle: string; displayName: string }[]> {
    const clean = prefix.trim().replace(/^@/, '');
    if (!this.identity || !clean) return [];
    return this.identity.search(this.session.token, clean).catch(() => []);
  }

  open(roomId: string): void {
    this.update({ activeRoomId: roomId });
    this.markActiveRead();
  }

  /** Back to the room list (the phone layout shows one or the other). */
  close(): void {
    this.update({ activeRoomId: undefined });
  }

  /** Rooms the room service lists for us; new ones get their newest page and join the live stream, and ones we left go. */
  async refreshRooms(): Promise<void> {
    const summaries = await this.api.listRooms();
    const fresh: string[] = [];
    const listed = new Set(summaries.map((summary) => summary.roomId));
    const rooms = Object.fromEntries(
      Object.entries(this.state.rooms).filter(([roomId]) => listed.has(roomId)),
    );
    for (const summary of summaries) {
      const held = rooms[summary.roomId];
      if (held) rooms[summary.roomId] = { ...held, summary };
      else {
        fresh.push(summary.roomId);
        rooms[summary.roomId] = {
          summary,
          messages: [],
          pending: [],
          receipts: {},
          typing: [],
          hasOlder: true,
          loadingOlder: false,
          lastRead: this.markers.get(summary.roomId),
        };
      }
    }
    const activeGone = this.state.activeRoomId !== undefined && !listed.has(this.state.activeRoomId);
    this.update(activeGone ? { rooms, activeRoomId: undefined } : { rooms });
    void this.findPeers(summaries);
    if (fresh.length === 0) return;
    await Promise.all(fresh.map((roomId) => this.loadPage(roomId)));
    if (this.socket.connected) await this.resume(fresh);
    if (this.socket.connected) await this.fetchUnread(fresh);
  }

  /** The gateway's counts from the stored read watermarks: a reload or another device still knows what was read. */
  private async fetchUnread(roomIds: string[]): Promise<void> {
    if (roomIds.length === 0) return;
    const handle = this.mentionHandle();
    const reply = await this.request('unread', {
      rooms: roomIds.slice(0, MAX_UNREAD_ROOMS),
      ...(handle ? { handle } : {}),
    });
    if (!reply || isError(reply)) return;
    for (const result of reply.rooms) {
      const room = this.state.rooms[result.roomId];
      if (!room || result.error) continue;
      this.patchRoom(result.roomId, {
        serverUnread: result,
        lastRead: Math.max(room.lastRead, result.readPosition ?? -1),
      });
    }
  }

  /** Direct rooms never change members: each one's other person is looked up once. */
  private async findPeers(summaries: readonly RoomSummary[]): Promise<void> {
    const unknown = summaries.filter(
      (summary) => summary.kind === 'direct' && !this.state.rooms[summary.roomId]?.peerId,
    );
    await Promise.all(
      unknown.map(async ({ roomId }) => {
        const view = await this.api.getRoom(roomId).catch(() => undefined);
        const peer = view?.members.find((member) => member.userId !== this.session.userId);
        if (peer) this.patchRoom(roomId, { peerId: peer.userId });
      }),
    );
  }

  /** The handle others mention us by: the account's, or with development sign-in the id (the normalised name). */
  mentionHandle(): string | undefined {
    const handle = this.session.handle ?? this.session.userId;
    return /^[a-z0-9][a-z0-9._-]{0,63}$/u.test(handle) ? handle : undefined;
  }

  /** What a room is called on the page: a direct room by the other person's name. */
  titleOf(room: RoomState): string {
    return room.summary.kind === 'direct' && room.peerId ? this.nameOf(room.peerId) : room.summary.name;
  }

  /** Leaves a room; the list drops it at once rather than at the next rooms-changed. */
  async leave(roomId: string): Promise<void> {
    await this.api.leave(roomId);
    await this.refreshRooms();
  }

  /** Adds a room created on this page at once, without waiting for the next poll. */
  async roomCreated(roomId: string): Promise<void> {
    await this.refreshRooms();
    this.open(roomId);
  }

  async loadOlder(roomId: string): Promise<void> {
    const room = this.state.rooms[roomId];
    if (!room || room.loadingOlder || !room.hasOlder) return;
    this.patchRoom(roomId, { loadingOlder: true });
    try {
      await this.loadPage(roomId, room.messages[0]?.position);
    } finally {
      this.patchRoom(roomId, { loadingOlder: false });
    }
  }

  send(roomId: string, text: string): void {
    const pending: PendingMessage = {
      clientMessageId: crypto.randomUUID(),
      roomId,
      text,
      createdAt: new Date().toISOString(),
      status: 'pending',
    };
    const room = this.state.rooms[roomId];
    if (!room) return;
    this.patchRoom(roomId, { pending: [...room.pending, pending] });
    this.stopTyping(roomId);
    this.flushSends(roomId);
  }

  /** Sends a failed message again under its clientMessageId: if the first try got through, it is still shown once. */
  retrySend(roomId: string, clientMessageId: string): void {
    this.setPending(roomId, clientMessageId, ({ error: _shown, ...pending }) => [
      { ...pending, status: 'pending' },
    ]);
    this.flushSends(roomId);
  }

  discardSend(roomId: string, clientMessageId: string): void {
    this.setPending(roomId, clientMessageId, () => []);
  }

  private setPending(
    roomId: string,
    clientMessageId: string,
    change: (pending: PendingMessage) => PendingMessage[],
  ): void {
    const room = this.state.rooms[roomId];
    if (!room) return;
    this.patchRoom(roomId, {
      pending: room.pending.flatMap((p) => (p.clientMessageId === clientMessageId ? change(p) : [p])),
    });
  }

  /** Edits or deletes a message (`text` undefined); a refusal is shown as the notice. */
  async change(roomId: string, messageId: string, text?: string): Promise<void> {
    const refusal = await requestChange((clientRequestId) =>
      text === undefined
        ? this.request('delete', { roomId, messageId, clientRequestId })
        : this.request('edit', { roomId, messageId, clientRequestId, text }),
    );
    if (refusal) this.update({ notice: SOCKET_ERRORS[refusal.code].message });
  }

  typing(roomId: string): void {
    const now = Date.now();
    if (this.socket.connected && now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.typingSentAt = now;
      this.socket.emit('typing', { roomId, typing: true });
    }
    window.clearTimeout(this.typingIdle);
    this.typingIdle = window.setTimeout(() => this.stopTyping(roomId), TYPING_IDLE_MS);
  }

  private stopTyping(roomId: string): void {
    window.clearTimeout(this.typingIdle);
    if (this.typingSentAt === 0) return;
    this.typingSentAt = 0;
    if (this.socket.connected) this.socket.emit('typing', { roomId, typing: false });
  }

  private wire(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      // Presence heard before the drop may be stale: the resume's snapshots say who is online now.
      this.update({ connection: 'catching-up', notice: undefined, online: {} });
      void this.resume(Object.keys(this.state.rooms)).then(() => {
        if (socket.connected) this.update({ connection: 'online' });
        void this.fetchUnread(Object.keys(this.state.rooms));
        for (const roomId of Object.keys(this.state.rooms)) this.flushSends(roomId);
      });
      // rooms-changed notices sent while the socket was down are lost: list the rooms again.
      if (this.connectedBefore) void this.refreshRooms().catch(() => undefined);
      this.connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      this.inFlight.clear();
      this.update({ connection: navigator.onLine ? 'reconnecting' : 'offline' });
      // The gateway closed us (a signed-out session, or a drain): reconnect only with a session that still holds.
      if (reason === 'io server disconnect' && this.session.kind === 'account') {
        void this.renewSession().then((session) => {
          if (session) socket.connect();
        });
      }
    });
    socket.on('connect_error', (error) => {
      const code = (error as { data?: { error?: ErrorBody } }).data?.error?.code;
      if (code === 'AUTH_EXPIRED') {
        void this.renewSession().then((session) => {
          if (session) socket.connect();
        });
      } else if (code) this.update({ notice: SOCKET_ERRORS[code].message });
      this.update({ connection: navigator.onLine ? 'reconnecting' : 'offline' });
    });
    socket.on('server-shutdown', ({ reconnectInMs }) => {
      socket.disconnect();
      this.update({ connection: 'reconnecting' });
      window.setTimeout(() => socket.connect(), reconnectInMs);
    });
    socket.on('catching-up', () => this.update({ connection: 'catching-up' }));
    socket.on('resync', ({ roomId }) => void this.resume([roomId]));
    socket.on('message', (message) => this.receive([message]));
    socket.on('message-updated', (update) => {
      this.changeMarks.set(
        update.roomId,
        Math.max(this.changeMarks.get(update.roomId) ?? -1, update.position),
      );
      const room = this.state.rooms[update.roomId];
      if (room) this.patchRoom(update.roomId, { messages: applyUpdate(room.messages, update) });
    });
    socket.on('receipt', (notice) => {
      const room = this.state.rooms[notice.roomId];
      if (room)
        this.patchRoom(notice.roomId, { receipts: applyReceipt(room.receipts, notice, this.session.userId) });
    });
    socket.on('typing', ({ roomId, userId, typing }) => {
      const room = this.state.rooms[roomId];
      if (!room || userId === this.session.userId) return;
      const others = room.typing.filter((id) => id !== userId);
      this.patchRoom(roomId, { typing: typing ? [...others, userId] : others });
      if (typing) this.seenOnline(userId, true);
    });
    socket.on('presence', ({ userId, online }) => this.seenOnline(userId, online));
    socket.on('rooms-changed', () => void this.refreshRooms().catch(() => undefined));
    socket.on('user-renamed', (notice) => this.names.renamed(notice));
  }

  private readonly goOffline = (): void => {
    // The browser knows the network is gone before any heartbeat would: drop the socket now, resume later.
    this.socket.disconnect();
    this.update({ connection: 'offline' });
  };

  private readonly goOnline = (): void => {
    this.update({ connection: 'reconnecting' });
    this.socket.connect();
  };

  private seenOnline(userId: string, online: boolean): void {
    if (this.state.online[userId] === online) return;
    this.update({ online: { ...this.state.online, [userId]: online } });
  }

  /** Joins rooms' live streams, first replaying what each missed after the highest position held. */
  private async resume(roomIds: string[], retry = 0): Promise<void> {
    if (roomIds.length === 0) return;
    const again = (ids: string[]) =>
      window.setTimeout(() => void this.resume(ids, retry + 1), retryDelay(retry + 1));
    const rooms = roomIds.map((roomId) => ({ roomId, after: this.lastPosition(roomId) }));
    const reply = await this.request('resume', { rooms });
    if (!reply) return;
    if (isError(reply)) {
      this.update({ notice: SOCKET_ERRORS[reply.error.code].message });
      if (reply.error.retryable) again(roomIds);
      return;
    }
    const online = reply.rooms.flatMap((room) => room.online ?? []);
    if (online.length) {
      this.update({
        online: { ...this.state.online, ...Object.fromEntries(online.map((id) => [id, true])) },
      });
    }
    const failed = reply.rooms.filter((room) => room.error?.retryable).map((room) => room.roomId);
    if (failed.length) again(failed);
  }

  private lastPosition(roomId: string): number {
    return Math.max(
      this.state.rooms[roomId]?.messages.at(-1)?.position ?? -1,
      this.changeMarks.get(roomId) ?? -1,
    );
  }

  /** One history page: the newest when `before` is undefined. Over the socket when connected, else HTTP. */
  private async loadPage(roomId: string, before?: number): Promise<void> {
    const request = { roomId, limit: HISTORY_PAGE, ...(before === undefined ? {} : { before }) };
    const page = this.socket.connected
      ? await this.request('history', request)
      : await this.fetchPage(request);
    if (!page || isError(page)) return;
    const room = this.state.rooms[roomId];
    if (!room) return;
    this.patchRoom(roomId, {
      hasOlder: page.hasMore,
      messages: mergeMessages(room.messages, page.messages),
      pending: settlePending(room.pending, page.messages, this.session.userId),
    });
    if (before === undefined) this.acknowledge(roomId);
  }

  private async fetchPage(request: {
    roomId: string;
    limit: number;
    before?: number;
  }): Promise<HistoryAck | undefined> {
    const query = new URLSearchParams({ limit: String(request.limit) });
    if (request.before !== undefined) query.set('before', String(request.before));
    const response = await fetch(`/v1/rooms/${encodeURIComponent(request.roomId)}/messages?${query}`, {
      headers: { authorization: `Bearer ${this.session.token}` },
    }).catch(() => undefined);
    return response ? ((await response.json()) as HistoryAck) : undefined;
  }

  private receive(messages: ChatMessage[]): void {
    const roomId = messages[0]?.roomId;
    const room = roomId ? this.state.rooms[roomId] : undefined;
    if (!roomId || !room) return;
    const typing = room.typing.filter((userId) => !messages.some((m) => m.senderId === userId));
    this.patchRoom(roomId, {
      messages: mergeMessages(room.messages, messages),
      pending: settlePending(room.pending, messages, this.session.userId),
      typing,
    });
    this.acknowledge(roomId);
  }

  /**
   * Receipts for the newest message from others: `read` when the room is on
   * screen, else `delivered`. Debounced, so a catch-up of many messages
   * costs one request, not one per message.
   */
  private acknowledge(roomId: string): void {
    window.clearTimeout(this.receiptTimers.get(roomId));
    this.receiptTimers.set(
      roomId,
      window.setTimeout(() => {
        const room = this.state.rooms[roomId];
        const newest = room && newestFromOthers(room.messages, this.session.userId);
        const onScreen = this.state.activeRoomId === roomId && document.visibilityState === 'visible';
        if (onScreen && room?.messages.length) {
          const last = room.messages.at(-1)!.position;
          this.markers.set(roomId, last);
          if (last > room.lastRead) this.patchRoom(roomId, { lastRead: last });
        }
        if (!newest || !this.socket.connected) return;
        const status = onScreen ? 'read' : 'delivered';
        const key = `${newest.messageId}:${status}`;
        if (this.lastReceipt.get(roomId) === key) return;
        this.lastReceipt.set(roomId, key);
        this.socket.emit('receipt', { roomId, messageId: newest.messageId, status }, () => undefined);
      }, RECEIPT_DEBOUNCE_MS),
    );
  }

  private readonly markActiveRead = (): void => {
    if (this.state.activeRoomId) this.acknowledge(this.state.activeRoomId);
  };

  /** Sends a room's queued messages one at a time, so they keep the order they were typed in. */
  private flushSends(roomId: string): void {
    const room = this.state.rooms[roomId];
    const next = room?.pending.find((p) => p.status === 'pending');
    if (!next || !this.socket.connected || this.inFlight.has(roomId)) return;
    this.inFlight.set(roomId, next.clientMessageId);
    const request = { roomId, clientMessageId: next.clientMessageId, text: next.text };
    void this.request('send', request).then((reply) => {
      if (this.inFlight.get(roomId) === next.clientMessageId) this.inFlight.delete(roomId);
      // Disconnected: re-sent with the same clientMessageId after the reconnect. Unanswered on a live socket: the person decides.
      if (!reply && !this.socket.connected) return;
      if (isError(reply) && reply.error.retryable) {
        const retry = (this.sendRetries.get(roomId) ?? 0) + 1;
        this.sendRetries.set(roomId, retry);
        window.setTimeout(() => this.flushSends(roomId), retryDelay(retry, reply.error.retryAfterMs));
        return;
      }
      this.sendRetries.delete(roomId);
      const outcome: Partial<PendingMessage> = !reply
        ? { status: 'failed', error: NO_ANSWER_TEXT }
        : isError(reply)
          ? { status: 'failed', error: SOCKET_ERRORS[reply.error.code].message }
          : { status: 'sent' };
      this.setPending(roomId, next.clientMessageId, (p) => [{ ...p, ...outcome }]);
      this.flushSends(roomId);
    });
  }

  /** An acked request; undefined when it timed out or the socket dropped (the caller retries later). */
  private async request<E extends 'send' | 'edit' | 'delete' | 'resume' | 'history' | 'unread'>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] | undefined> {
    const timed = this.socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
      emitWithAck(event: E, payload: unknown): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]>;
    };
    try {
      return await timed.emitWithAck(event, payload);
    } catch {
      return undefined;
    }
  }

  private patchRoom(roomId: string, patch: Partial<RoomState>): void {
    const room = this.state.rooms[roomId];
    if (room) this.update({ rooms: { ...this.state.rooms, [roomId]: { ...room, ...patch } } });
  }

  private update(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
