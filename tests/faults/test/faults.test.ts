import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterFaultServers, type ClusterFaultServers } from '../src/cluster-servers.js';
import { faultSuiteConfig } from '../src/config.js';
import { startFaultPlatform, type FaultPlatform } from '../src/platform.js';
import { CI_LOAD, runScenario, settleBetweenScenarios, type FaultContext } from '../src/scenario.js';
import { brokerLost } from '../src/scenarios/cluster.js';
import { ROOM_FEEDS_CI, SCENARIOS } from '../src/scenarios/index.js';
import { startFaultServers, KAFKA_PROXY, type FaultServers } from '../src/servers.js';
import { summaryTable, type ScenarioRow } from '../src/summary.js';

const { suite, serviceLogLevel } = faultSuiteConfig();
const scenarios = SCENARIOS.filter((scenario) => suite === 'all' || scenario.ci);
const ZERO_LOSS = { missingDelivered: 0, missingPersisted: 0, duplicatesShown: 0, duplicatesStored: 0 };
/** Edits and deletes: none acked lost, none shown twice, one final state for every member and the store. */
const CHANGES_CLEAN = { missingShown: 0, missingStored: 0, disagreeing: 0, duplicatesShown: 0 };
/** Load, fault, recovery and settling: minutes on a busy machine. */
const SCENARIO_TIMEOUT_MS = 300_000;

const runs = [
  { delivery: 'fan-out', scenarios },
  { delivery: 'room-feeds', scenarios: suite === 'all' ? SCENARIOS : ROOM_FEEDS_CI },
] as const;

describe.each(runs)(
  `fault injection (${suite}, $delivery delivery): 0 acked messages lost, 0 duplicates`,
  ({ delivery, scenarios }) => {
    /** Every scenario's line, printed together at the end. */
    const rows: ScenarioRow[] = [];
    let servers: FaultServers;
    let platform: FaultPlatform;
    let context: FaultContext;

    beforeAll(async () => {
      servers = await startFaultServers();
      platform = await startFaultPlatform({
        brokers: servers.kafka.url.split(','),
        mongoUrl: servers.mongo.url,
        redisUrl: servers.redis.url,
        toxiproxy: servers.toxiproxy.client,
        logLevel: serviceLogLevel,
        deliveryMode: delivery,
      });
      context = { platform, servers };
    }, SCENARIO_TIMEOUT_MS);

    afterAll(async () => {
      console.log(
        `\nfault suite (${suite}, ${delivery} delivery), proxy ${KAFKA_PROXY} in front of Kafka, service logs in ${platform?.logDir}:\n${summaryTable(rows)}\n`,
      );
      await platform?.stop();
      await servers?.dispose();
    }, SCENARIO_TIMEOUT_MS);

    for (const scenario of scenarios) {
      it(
        scenario.name,
        async () => {
          const { row, report } = await runScenario(context, scenario, CI_LOAD);
          rows.push(row);
          await settleBetweenScenarios(context);
          expect(report.persistenceChecked).toBe(true);
          expect(row.acked).toBeGreaterThan(0);
          if (scenario.hit) expect(scenario.hit.seen(report), scenario.hit.description).toBe(true);
          expect(report.account).toMatchObject(ZERO_LOSS);
          expect(report.changes?.acked).toBeGreaterThan(0);
          expect(
            report.changes,
            `messages whose changes the store lacks: ${report.changes?.unstored.join(', ')}`,
          ).toMatchObject(CHANGES_CLEAN);
        },
        SCENARIO_TIMEOUT_MS,
      );
    }
  },
);

describe.runIf(suite === 'all')('fault injection on a three-broker cluster', () => {
  let servers: ClusterFaultServers;
  let platform: FaultPlatform;

  beforeAll(async () => {
    servers = await startClusterFaultServers();
    platform = await startFaultPlatform({
      brokers: servers.brokers,
      mongoUrl: servers.mongo.url,
      redisUrl: servers.redis.url,
      toxiproxy: servers.toxiproxy.client,
      logLevel: serviceLogLevel,
    });
  }, SCENARIO_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
    await servers?.dispose();
  }, SCENARIO_TIMEOUT_MS);

  it(
    brokerLost.name,
    async () => {
      const { row, report } = await runScenario({ platform, servers }, brokerLost, CI_LOAD);
      console.log(`\nfault suite, cluster:\n${summaryTable([row])}\n`);
      await servers.heal();
      expect(row.acked).toBeGreaterThan(0);
      expect(report.account).toMatchObject(ZERO_LOSS);
      expect(report.changes).toMatchObject(CHANGES_CLEAN);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
