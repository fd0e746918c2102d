import type { Scenario } from '../scenario.js';
import { kafkaNetwork } from './network.js';
import { poisonEvents } from './poison.js';
import { kafkaDown, mongoDown, redisDown } from './servers.js';
import { gatewayKilled, gatewayRestart, persistenceKilled, roomKilled } from './services.js';

/** Every scenario on the single-broker platform, in run order. */
export const SCENARIOS: readonly Scenario[] = [
  gatewayKilled,
  persistenceKilled,
  roomKilled,
  gatewayRestart,
  poisonEvents,
  redisDown,
  mongoDown,
  kafkaDown,
  kafkaNetwork,
];

/**
 * Run again with the gateways in room-feeds delivery, where a gateway is a
 * partition owner and Redis carries live delivery: in CI, the faults that hit
 * those (an owner killed, an owner draining, Redis lost); every scenario with
 * the whole suite.
 */
export const ROOM_FEEDS_CI: readonly Scenario[] = [gatewayKilled, gatewayRestart, redisDown];
