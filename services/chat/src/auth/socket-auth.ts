import type { Principal, TokenService } from '@chat/auth';
import type { Socket } from 'socket.io';
import { connectRefusal } from '../socket/errors.js';

/**
 * Socket.IO middleware: the handshake must carry a valid JWT in
 * `auth.token`; the principal is kept on the socket and is the only source
 * of the sender's identity. A refusal is a connect_error whose `data` is the
 * protocol's error body (never the token, never internals).
 */
export function socketAuth(tokens: TokenService) {
  return async (socket: Socket, next: (error?: Error) => void): Promise<void> => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    try {
      const principal: Principal = await tokens.verifyAccessToken(
        typeof token === 'string' ? token : undefined,
      );
      (socket.data as { principal?: Principal }).principal = principal;
      next();
    } catch (error) {
      next(connectRefusal(error));
    }
  };
}
