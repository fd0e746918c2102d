import type { Principal } from '@chat/auth';
import type { Socket } from 'socket.io';
import { connectRefusal, refuse } from '../socket/errors.js';

export interface ConnectionCapsOptions {
  perUser: number;
  perAddress: number;
}

/**
 * Socket.IO middleware (after authentication): at most `perUser` sockets per
 * user and `perAddress` per remote address on this instance; past either,
 * the handshake fails with TOO_MANY_CONNECTIONS. Counted per instance, in
 * memory: nothing to leak when an instance dies, at the cost that N
 * instances admit up to N times the cap (docs/configuration.md). A slot is
 * freed when the socket disconnects or its connection closes, whichever
 * comes first (the latter also covers a handshake that never completed).
 */
export function connectionCaps(options: ConnectionCapsOptions) {
  const users = new Map<string, number>();
  const addresses = new Map<string, number>();
  const change = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  };
  return (socket: Socket, next: (error?: Error) => void): void => {
    const { userId } = (socket.data as { principal: Principal }).principal;
    const address = socket.handshake.address;
    if ((users.get(userId) ?? 0) >= options.perUser || (addresses.get(address) ?? 0) >= options.perAddress) {
      next(connectRefusal(refuse('TOO_MANY_CONNECTIONS')));
      return;
    }
    change(users, userId, 1);
    change(addresses, address, 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      change(users, userId, -1);
      change(addresses, address, -1);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    next();
  };
}
