import { Command } from 'commander';
import { statusOf, type Report } from '../launcher.js';
import { printStatus } from '../status-report.js';
import { clusterBrokers, clusterDown, clusterNodes, clusterUp, defaultClusterLayout } from './cluster.js';

/** `infra cluster up|down|status`: the three-broker cluster for fault tests, beside the single node. */
export function clusterCommand(report: Report): Command {
  const cluster = new Command('cluster').description(
    'three KRaft brokers (replication factor 3, min.insync.replicas 2) on 29092-29097, beside the single node',
  );
  cluster
    .command('up')
    .description(
      'start the three nodes (idempotent), wait until each answers, prove a replicated produce and fetch',
    )
    .action(async () => {
      const started = Date.now();
      const nodes = await clusterUp(report);
      console.log(`\ncluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
      console.log(`  KAFKA_BROKERS=${clusterBrokers(defaultClusterLayout()).join(',')}`);
      for (const node of nodes) console.log(`  ${node.name}  ${node.address}  log: ${node.process.logFile}`);
    });
  cluster
    .command('down')
    .description('stop the three nodes (their data stays until `infra down --reset`)')
    .action(() => clusterDown(report));
  cluster
    .command('status')
    .description('show each node and whether it answers (exit code 1 when one does not)')
    .action(async () => printStatus(await statusOf(clusterNodes())));
  return cluster;
}
