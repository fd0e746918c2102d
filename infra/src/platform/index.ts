/** Running the platform's services as processes: for `bin/start` and for suites that need the whole platform. */
export {
  launchPlatform,
  startPlatform,
  type LaunchOptions,
  type Platform,
  type ServiceHandle,
  type ServiceOptions,
} from './launcher.js';
export { PLATFORM_SERVICES, type PlatformService, type ServiceSpec } from './services.js';
export {
  startService,
  waitUntilReady,
  stopAll,
  supervise,
  DEFAULT_RESTART_POLICY,
  type RunningService,
  type RestartPolicy,
  type Supervisor,
} from './supervisor.js';
export { buildWebPageIfStale, webPageIsStale, WEB_DIST_DIR } from './web-page.js';
export { seedDemo, DEMO_USERS, DEMO_ROOM_NAME } from './seed.js';
export { IsolatedPlatform, type PlatformPorts } from './isolated.js';
