import { type Principal, type SessionRevocations, type TokenService } from '@chat/auth';
import type { Socket } from 'socket.io';
import { connectRefusal } from '../socket/errors.js';

/**
 * Socket.IO middleware: the handshake must carry a valid JWT in
 * `auth.token`; the principal is kept on the socket and is the only source
 * of the sender's identity. A refusal is a connect_error whose `data` is the
 * protocol's error body (never the token, never internals). A token of a
 * signed-out session is refused although its signature is still good.
 */
export function socketAuth(tokens: TokenService, revocations: SessionRevocations) {
  return async (socket: Socket, next: (error?: Error) => void): Promise<void> => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    try {
      const principal: Principal = await tokens.verifyAccessToken(
        typeof token === 'string' ? token : undefined,
      );
      await revocations.refuseRevoked(principal);
      (socket.data as { principal?: Principal }).principal = principal;
      next();
    } catch (error) {
      next(connectRefusal(error));
    }
  };
}
