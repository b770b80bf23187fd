/** Scratch space for data files and profiles: .bench-tmp/ at the repo root (git-ignored, same disk as data/). */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './child';

export const WORK_ROOT = join(REPO_ROOT, '.bench-tmp');
export const PROFILE_DIR = join(WORK_ROOT, 'profiles');

export function scratchDir(prefix: string): { path: string; remove: () => void } {
  mkdirSync(WORK_ROOT, { recursive: true });
  const path = mkdtempSync(join(WORK_ROOT, `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
