// `docker compose watch` with the generated override (compose.watch.yaml), as README.Docker.md
// tells a developer to run it: the stack brought up with both files, then the watcher in its
// own process group, its output collected, stopped with SIGINT as Ctrl-C would.
import { spawn, type ChildProcess } from 'node:child_process';
import { sleep } from './run.ts';
import { composeOk, type Stack } from './stack.ts';

export const WATCH_FILES = ['-f', 'docker-compose.yml', '-f', 'compose.watch.yaml'] as const;

export class ComposeWatch {
  private readonly child: ChildProcess;
  log = '';

  private constructor(stack: Stack) {
    this.child = spawn('docker', ['compose', '--ansi', 'never', ...WATCH_FILES, 'watch', '--no-up'], {
      cwd: stack.dir,
      env: stack.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const add = (c: Buffer): void => {
      this.log += c.toString('utf8');
    };
    this.child.stdout!.on('data', add);
    this.child.stderr!.on('data', add);
  }

  /** `up -d --wait` with the override (its command and rules), then the watcher, once it says it watches. */
  static async start(stack: Stack): Promise<ComposeWatch> {
    await composeOk(stack, [...WATCH_FILES, 'up', '-d', '--wait', '--wait-timeout', '300'], 600_000);
    const watch = new ComposeWatch(stack);
    const until = Date.now() + 60_000;
    while (!/watch enabled/i.test(watch.log)) {
      if (watch.child.exitCode !== null || Date.now() > until) {
        await watch.stop();
        throw new Error(`docker compose watch did not start:\n${watch.log.slice(-2000)}`);
      }
      await sleep(50);
    }
    return watch;
  }

  async stop(): Promise<void> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const exited = new Promise((resolve) => child.once('close', resolve));
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {
      return;
    }
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  }
}
