/**
 * Starts one of the project's TypeScript entry points in a child process (through the
 * registerTypeScript.js require hook) and waits for the line that says it is ready, so tests can
 * SIGKILL it and start it again. Used for the gateway and for the EventStoreDB protocol test server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ReadyChild<Ready> {
  readonly ready: Ready;
  readonly child: ChildProcess;
  /** Sends `signal` (default SIGKILL) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnUntilReadyOptions<Ready> {
  /** What the process is, for error messages. */
  readonly name: string;
  readonly entry: string;
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Reads a stdout line: what the process reports once it is ready, or undefined for any other line. */
  readonly readyFrom: (line: string) => Ready | undefined;
  readonly timeoutMs: number;
}

const REGISTER_TYPESCRIPT = join(__dirname, 'esdbTestServer', 'registerTypeScript.js');

export function spawnUntilReady<Ready>(options: SpawnUntilReadyOptions<Ready>): Promise<ReadyChild<Ready>> {
  const child = spawn(process.execPath, ['-r', REGISTER_TYPESCRIPT, options.entry, ...(options.args ?? [])], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start within ${options.timeoutMs} ms\n${output}`));
    }, options.timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const ready = options.readyFrom(line);
      if (ready === undefined) return;
      clearTimeout(timer);
      resolve({
        ready,
        child,
        async kill(signal: NodeJS.Signals = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited before it was ready (${String(code ?? signal)})\n${output}`));
    });
  });
}
