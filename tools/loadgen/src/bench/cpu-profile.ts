/** The parts of a V8 `.cpuprofile` (from `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  /** `function (file:line)`, the file relative to node_modules or the repository where possible. */
  frame: string;
  ms: number;
  percent: number;
}

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/^.*\/work\/main\//, '');

/** Functions by the time the CPU spent in them (not in what they called), largest first. */
export function topSelfTime(profile: CpuProfile, limit = 15): SelfTime[] {
  const frames = new Map(
    profile.nodes.map(({ id, callFrame }) => [
      id,
      `${callFrame.functionName || '(anonymous)'} (${shortUrl(callFrame.url) || 'native'}:${callFrame.lineNumber + 1})`,
    ]),
  );
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((node, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = frames.get(node) ?? '(unknown)';
    micros.set(frame, (micros.get(frame) ?? 0) + delta);
    total += delta;
  });
  return [...micros]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, us]) => ({
      frame,
      ms: Math.round(us / 1000),
      percent: Math.round((us / total) * 1000) / 10,
    }));
}

/**
 * Who owns a frame: the npm package (`kafkajs`, `@opentelemetry/api`), the
 * workspace folder (`services/chat`), `node` for Node's own JavaScript,
 * `(garbage collector)`, `(idle)`, or `native` for the rest.
 */
export function ownerOf(callFrame: { functionName: string; url: string }): string {
  const { functionName, url } = callFrame;
  if (functionName === '(idle)' || functionName === '(garbage collector)') return functionName;
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'node';
  const inWorkspace = /\/((?:services|packages|tools|infra|tests)\/[^/]+)\//.exec(url);
  if (inWorkspace) return inWorkspace[1]!;
  return url ? url : 'native';
}

/**
 * Self time by owner (see `ownerOf`), largest first, as a share of the busy
 * (not idle) time. Node's JavaScript and native frames are charged to the
 * nearest caller with an owner, so a socket write counts for whoever wrote.
 */
export function selfTimeByOwner(profile: CpuProfile): SelfTime[] {
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const frames = new Map(profile.nodes.map(({ id, callFrame }) => [id, callFrame]));
  const charged = (id: number): string => {
    const own = ownerOf(frames.get(id) ?? { functionName: '', url: '' });
    if (own !== 'native' && own !== 'node') return own;
    for (let at = parents.get(id); at !== undefined; at = parents.get(at)) {
      const caller = ownerOf(frames.get(at)!);
      if (caller !== 'native' && caller !== 'node') return caller;
    }
    return own;
  };
  const micros = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((node, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const owner = charged(node);
    micros.set(owner, (micros.get(owner) ?? 0) + delta);
    if (owner !== '(idle)') busy += delta;
  });
  micros.delete('(idle)');
  return [...micros]
    .sort((a, b) => b[1] - a[1])
    .map(([frame, us]) => ({
      frame,
      ms: Math.round(us / 1000),
      percent: Math.round((us / busy) * 1000) / 10,
    }));
}
