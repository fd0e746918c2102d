export { run } from './program.js';
export type { Io } from './io.js';
export { CliError, EXIT_CODES, type CliErrorCode } from './errors.js';
