import { runLoad, type LoadOptions, type LoadReport } from '@chat/loadgen';
import type { FaultPlatform } from './platform.js';
import type { FaultServers } from './servers.js';
import type { ScenarioRow } from './summary.js';

export interface FaultContext {
  platform: FaultPlatform;
  servers: FaultServers;
}

/** One fault, injected while load runs and repaired by the scenario itself. */
export interface Scenario<Context extends { platform: FaultPlatform } = FaultContext> {
  name: string;
  /** Short enough for CI (the package's `test`); the others run with `faults`. */
  ci: boolean;
  /** Injects the fault and repairs it; resolves once repaired (the platform may still be recovering). */
  inject(context: Context): Promise<void>;
  /**
   * What in the report shows the fault really hit the load (clients cut
   * off, sends queued while Kafka was away): a fault that missed the load
   * would prove nothing. @defaultValue none (the fault leaves no mark the client sees)
   */
  hit?: { description: string; seen(report: LoadReport): boolean };
}

/** The load each scenario drives: modest, so a busy 2-core machine runs the platform and the generator. */
export type ScenarioLoad = Omit<
  LoadOptions,
  'gatewayUrls' | 'roomApiUrl' | 'mongoUrl' | 'onProgress' | 'signal'
>;

export const CI_LOAD: ScenarioLoad = {
  users: 16,
  rooms: 4,
  membersPerRoom: 4,
  ratePerSecond: 40,
  durationMs: 12_000,
  messageBytes: 64,
  settleTimeoutMs: 90_000,
  // Every fifth message edited, every tenth then deleted: the changes' account is checked too.
  changeEvery: 5,
};

/** A fault is injected this far into the offered load, so messages flow before, during and after it. */
const FAULT_AT_SHARE = 0.3;
const RECOVERY_TIMEOUT_MS = 120_000;

export interface ScenarioResult {
  row: ScenarioRow;
  report: LoadReport;
}

/**
 * Runs the load, injects the fault once the load is under way, and times the
 * recovery: from the injection until every service answers /readyz again
 * after the repair.
 */
export async function runScenario<Context extends { platform: FaultPlatform }>(
  context: Context,
  scenario: Scenario<Context>,
  load: ScenarioLoad,
): Promise<ScenarioResult> {
  const { platform } = context;
  let fault: Promise<number> | undefined;
  const report = await runLoad({
    ...load,
    gatewayUrls: platform.gatewayUrls,
    roomApiUrl: platform.roomApiUrl,
    mongoUrl: platform.mongoUrl,
    onProgress: ({ elapsedMs }) => {
      if (fault || elapsedMs < load.durationMs * FAULT_AT_SHARE) return;
      fault = (async () => {
        const injectedAt = Date.now();
        await scenario.inject(context);
        await platform.untilReady(RECOVERY_TIMEOUT_MS);
        return Date.now() - injectedAt;
      })();
      // Awaited below; kept from counting as unhandled while the load runs on.
      fault.catch(() => undefined);
    },
  });
  if (!fault) throw new Error(`${scenario.name}: the load ended before the fault was injected`);
  const recoveryMs = await fault;
  const { account, changes } = report;
  return {
    report,
    row: {
      scenario: scenario.name,
      sent: account.sent,
      acked: account.acked,
      queued: account.queued,
      delivered: account.delivered,
      persisted: account.persisted,
      changesAcked: changes?.acked ?? 0,
      lost: Math.max(
        account.missingDelivered,
        account.missingPersisted,
        changes?.missingShown ?? 0,
        changes?.missingStored ?? 0,
      ),
      duplicates: account.duplicatesShown + account.duplicatesStored + (changes?.duplicatesShown ?? 0),
      recoveryMs,
    },
  };
}

/** Brings the platform back to its starting shape for the next scenario. */
export async function settleBetweenScenarios(context: FaultContext): Promise<void> {
  await context.platform.balanceTo('chat-1');
  await context.servers.toxiproxy.client.reset();
  await context.platform.untilReady(RECOVERY_TIMEOUT_MS);
}
