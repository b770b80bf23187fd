/** Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions and code areas by self time. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, REPO_ROOT } from './child';
import type { ProfileEntry } from './results';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function shortPath(url: string): string {
  if (url === '') return '';
  let path = url;
  if (url.startsWith('file://')) path = fileURLToPath(url);
  if (path.startsWith('node:')) return path;
  // The bench runs the tsc output in .bench-tmp/: show it as the project path it was compiled from.
  const built = relative(BUILD_DIR, path);
  if (!built.startsWith('..') && !built.startsWith('node_modules')) return built;
  const rel = relative(REPO_ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

/** The code area a function belongs to: an npm package, a project folder, Node itself, or V8. */
function areaOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const path = shortPath(url);
  if (path.startsWith('node:')) return 'node: internals';
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const [folder] = path.split('/');
  return `project: ${folder}/`;
}

/**
 * `window` ([from, to], µs on the profiled process's monotonic clock, as V8 stamps samples) keeps
 * only the samples taken while the load ran.
 */
export function analyseCpuProfile(
  file: string,
  window: readonly [number, number] | null = null,
  top = 15,
): { totalMs: number; windowMs: number | null; topFunctions: ProfileEntry[]; byArea: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (window && (at < window[0] || at > window[1])) return;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
  });
  if (window && (window[0] < profile.startTime || window[1] > profile.endTime)) {
    throw new Error(`the measured window [${window[0]}, ${window[1]}] is outside the profile [${profile.startTime}, ${profile.endTime}]`);
  }
  const byFunction = new Map<string, { name: string; location: string; self: number }>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const [id, self] of selfByNode) {
    const node = nodes.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += self;
    const location = url ? `${shortPath(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${location}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', location, self: 0 };
    entry.self += self;
    byFunction.set(key, entry);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + self);
  }
  const toEntry = (name: string, location: string, self: number): ProfileEntry => ({
    name,
    location,
    selfMs: self / 1000,
    percent: total === 0 ? 0 : (100 * self) / total,
  });
  return {
    totalMs: total / 1000,
    windowMs: window ? (window[1] - window[0]) / 1000 : null,
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.self - a.self)
      .slice(0, top)
      .map((e) => toEntry(e.name, e.location, e.self)),
    byArea: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, self]) => toEntry(area, '', self)),
  };
}
