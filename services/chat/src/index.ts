export { createGateway, type Gateway, type GatewayDeps } from './gateway.js';
export { chatConfigFromEnv, type ChatConfig } from './config.js';
export type { MembershipCheck } from './membership/membership.js';
export type { EventPublisher } from './send/publisher-port.js';
