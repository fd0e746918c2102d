/** Each service's environment contract: the names and defaults its parser reads, as data. */
export { AUTH_ENV } from './auth.js';
export { CHAT_ENV } from './chat.js';
export { IDENTITY_ENV } from './identity.js';
export { ROOM_ENV } from './room.js';
export { PERSISTENCE_ENV } from './persistence.js';
export { SERVICE_ENV, type ServiceName } from './services.js';
export { envNames, type EnvTable, type EnvVar, type ServiceEnv, type SharedEnv } from './table.js';
