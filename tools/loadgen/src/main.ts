import { ConfigError } from '@chat/runtime';
import { loadgenProgram } from './cli/program.js';
import { LoadError } from './setup/errors.js';

try {
  await loadgenProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof LoadError) {
    console.error(error.message);
    process.exitCode = 2;
  } else throw error;
}
