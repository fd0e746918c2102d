/**
 * @chat/loadgen: drive the platform with many virtual users and account for
 * every message. The fault-injection suite imports this surface; keep it
 * stable and extend it only compatibly.
 */
export { runLoad } from './run-load.js';
export { LOAD_DEFAULTS, type LoadOptions } from './options/options.js';
export type { ZeroLossAccount } from './ledger/ledger.js';
export { isClean, type LoadProgress, type LoadReport, type Percentiles } from './report/report.js';
export { writeReport, REPORT_FILES } from './report/write.js';
export { LoadError } from './setup/errors.js';
export { CLIENT_ERROR_CODES } from './client/virtual-user.js';
export { startPlatform, type Platform, type PlatformOptions } from './platform/platform.js';
