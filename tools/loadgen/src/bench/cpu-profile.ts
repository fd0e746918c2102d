/** The parts of a V8 `.cpuprofile` (from `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
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
