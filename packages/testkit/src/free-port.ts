import { randomInt } from 'node:crypto';
import getPort from 'get-port';

/**
 * Ports below Linux's ephemeral range (32768–60999), in random order: a port
 * picked from inside that range can be taken by any process's outgoing
 * connection between the pick and the listen (a Kafka node dialling its
 * peers took one meant for the next node), and a random order keeps two
 * suites picking at once from picking the same one. Above the local servers'
 * fixed ports (6380, 19092, 27018).
 */
function* privatePorts(): Generator<number> {
  for (let tries = 0; tries < 100; tries++) yield randomInt(28_000, 32_000);
}

/** A port nobody listens on right now, for a private server, a child process or a proxy in front of one. */
export function freePort(): Promise<number> {
  return getPort({ port: privatePorts(), host: '127.0.0.1' });
}
