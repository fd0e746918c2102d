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
