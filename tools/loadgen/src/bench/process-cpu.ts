import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Linux reports process times in clock ticks of 1/100 s (`getconf CLK_TCK`). */
const MICROSECONDS_PER_TICK = 10_000;

/** CPU time (user + system) a process has used so far, in µs; undefined when it is not a local process. */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
  try {
    // Fields after the command name (which may hold spaces) start at ") ": utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MICROSECONDS_PER_TICK;
  } catch {
    return undefined;
  }
}

/** The local Kafka broker's JVM (its main class on the command line), when one runs on this machine. */
export function localKafkaPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('kafka.Kafka')) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** Redis's own counters: its pid (when local) and the reads it has served, about one per round trip of a client. */
export async function redisCounters(redis: Redis): Promise<{ pid: number | undefined; reads: number }> {
  const info = await redis.info();
  const field = (name: string) => info.match(new RegExp(`^${name}:(\\d+)`, 'm'))?.[1];
  const pid = Number(field('process_id'));
  return { pid: Number.isFinite(pid) ? pid : undefined, reads: Number(field('total_reads_processed') ?? 0) };
}
