export { TOXIPROXY_VERSION, toxiproxyBinary } from './binary.js';
export { ToxiproxyClient, ToxiproxyError, type Toxic } from './client.js';
export { startToxiproxy, type PrivateToxiproxy } from './server.js';
