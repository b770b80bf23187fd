/**
 * The orchestrator side of the bench's process protocol. Servers under test, load generators and
 * one-shot tasks each run in their own Node process, so none of them shares an event loop with
 * another. They run the project compiled by tsc (see build.ts), as `npm start` runs dist/.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The directory holding bench/package.json: the same from bench/lib/ (tsx) and from .bench-tmp/bench/lib/ (compiled). */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bench', 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no bench/package.json above ${from}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const BENCH_DIR = join(REPO_ROOT, 'bench');
/** Where build.ts puts the compiled project: one level below the root, like dist/, so the paths the server resolves from __dirname (schema/, …) work the same. */
export const BUILD_DIR = join(REPO_ROOT, '.bench-tmp');

export interface ChildOptions {
  /** Passed to the child as BENCH_INPUT (JSON). */
  readonly input?: unknown;
  /** Extra node flags, e.g. --cpu-prof, --expose-gc. */
  readonly execArgv?: readonly string[];
  readonly env?: Record<string, string>;
  readonly readyTimeoutMs?: number;
}

interface Message {
  readonly type: string;
  readonly id?: number;
  readonly name?: string;
  readonly data?: unknown;
  readonly error?: string;
}

export class Child<Ready = Record<string, unknown>> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly eventListeners = new Map<string, Array<(data: unknown) => void>>();
  private stderr = '';
  readonly exited: Promise<number | null>;
  ready!: Ready;
  result: Promise<unknown>;

  private constructor(
    readonly label: string,
    readonly process: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    process.stderr?.setEncoding('utf8');
    process.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
      if (isVerbose()) globalThis.process.stderr.write(`[${label}] ${chunk}`);
    });
    process.stdout?.setEncoding('utf8');
    process.stdout?.on('data', (chunk: string) => {
      if (isVerbose()) globalThis.process.stdout.write(`[${label}] ${chunk}`);
    });
    this.result = new Promise((resolve, reject) => {
      process.on('message', (message: Message) => {
        if (message.type === 'result') resolve(message.data);
        else if (message.type === 'failed') reject(new Error(`${label} failed: ${message.error}`));
        else if (message.type === 'reply' && message.id !== undefined) {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error !== undefined) waiter?.reject(new Error(`${label}: ${message.error}`));
          else waiter?.resolve(message.data);
        } else if (message.type === 'event' && message.name !== undefined) {
          for (const listener of this.eventListeners.get(message.name) ?? []) listener(message.data);
        }
      });
      void this.exited.then((code) => {
        const error = new Error(`${label} exited (${String(code)}) before finishing\n${this.stderr.slice(-4000)}`);
        reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      });
    });
    this.result.catch(() => {});
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get stderrTail(): string {
    return this.stderr;
  }

  /** Starts the compiled `bench/<script>` and waits for its ready message (servers) — tasks use `run`. */
  static async start<Ready = Record<string, unknown>>(label: string, script: string, options: ChildOptions = {}): Promise<Child<Ready>> {
    const child = Child.spawn<Ready>(label, script, options);
    child.ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.process.kill('SIGKILL');
        reject(new Error(`${label} was not ready within ${options.readyTimeoutMs ?? 120_000} ms\n${child.stderr}`));
      }, options.readyTimeoutMs ?? 120_000);
      child.process.on('message', (message: Message) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.data as Ready);
        } else if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${label} failed to start: ${message.error}`));
        }
      });
      void child.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited (${String(code)}) before it was ready\n${child.stderr.slice(-4000)}`));
      });
    });
    return child;
  }

  /** Runs a one-shot task in its own process and resolves with its result. */
  static async run<Result>(
    label: string,
    script: string,
    options: ChildOptions = {},
    onStart?: (child: Child<unknown>) => void,
  ): Promise<Result> {
    const child = Child.spawn(label, script, options);
    onStart?.(child);
    try {
      return (await child.result) as Result;
    } finally {
      await child.exited;
    }
  }

  private static spawn<Ready>(label: string, script: string, options: ChildOptions): Child<Ready> {
    const child = fork(join(BUILD_DIR, 'bench', script.replace(/\.ts$/, '.js')), [], {
      cwd: REPO_ROOT,
      execArgv: [...(options.execArgv ?? [])],
      env: {
        ...process.env,
        ...options.env,
        BENCH_INPUT: JSON.stringify(options.input ?? {}),
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    return new Child<Ready>(label, child);
  }

  request<T>(name: string, data?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send({ type: 'request', id, name, data });
    });
  }

  signal(name: string, data?: unknown): void {
    this.process.send({ type: 'signal', name, data });
  }

  on(name: string, listener: (data: unknown) => void): void {
    this.eventListeners.set(name, [...(this.eventListeners.get(name) ?? []), listener]);
  }

  /** Asks the child to shut down cleanly (so --cpu-prof profiles are written); kills it after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    try {
      this.process.send({ type: 'stop' });
    } catch {
      // already disconnected
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function isVerbose(): boolean {
  return process.env.BENCH_VERBOSE === '1';
}
