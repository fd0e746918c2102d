import { ConfigError } from '@chat/runtime';
import { Command, CommanderError } from 'commander';
import { backupQueueCommand } from './commands/backup-queue.js';
import type { Bind } from './bind.js';
import { dlqCommand } from './commands/dlq.js';
import { lagCommand } from './commands/lag.js';
import { outboxCommand } from './commands/outbox.js';
import { type GlobalOptions, contextOf } from './context.js';
import { CliError, EXIT_CODES, asCliError } from './errors.js';
import { type Io, json, processIo } from './io.js';

function program(io: Io, env: NodeJS.ProcessEnv): Command {
  const root = new Command('chatctl')
    .description(
      'Operate the chat platform: DLQs, consumer lag, the gateway backup queue, the room outbox.\n' +
        'Servers come from KAFKA_BROKERS, MONGODB_URL and REDIS_URL (or the flags below), else the local defaults.\n' +
        'Exit codes: 0 done, 1 failed, 2 wrong usage, 3 not found, 4 server unreachable, 5 busy (retry).',
    )
    .option('--json', 'machine-readable output on stdout')
    .option('--brokers <list>', 'Kafka bootstrap servers, comma-separated (overrides KAFKA_BROKERS)')
    .option('--mongo-url <url>', 'MongoDB URL with the database (overrides MONGODB_URL)')
    .option('--redis-url <url>', 'Redis URL (overrides REDIS_URL)')
    .option('--verbose', 'client library logs on stderr')
    // Subcommands made after these calls inherit them: no process.exit, output through io.
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');

  // Every action gets the run's context first; commander's own trailing Command argument is dropped.
  const bind: Bind =
    (action) =>
    async (...args) => {
      const command = args.at(-1) as Command;
      let context;
      try {
        context = contextOf(io, command.optsWithGlobals<GlobalOptions>(), env);
      } catch (error) {
        if (error instanceof ConfigError) throw new CliError('USAGE', error.message, { cause: error });
        throw error;
      }
      await action(context, ...(args.slice(0, -1) as never[]));
    };

  dlqCommand(root, bind);
  lagCommand(root, bind);
  backupQueueCommand(root, bind);
  outboxCommand(root, bind);
  return root;
}

/**
 * Runs one chatctl invocation and resolves to its exit code; never exits the
 * process, so tests drive it in-process and the bin sets `process.exitCode`.
 */
export async function run(
  argv: readonly string[],
  io: Io = processIo(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    await program(io, env).parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.OK;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    const failure = asCliError(error, 'chatctl');
    io.err(
      argv.includes('--json')
        ? json({ error: { code: failure.code, message: failure.message } })
        : `chatctl: ${failure.message}\n`,
    );
    return failure.exitCode;
  }
}
