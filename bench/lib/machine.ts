// The machine a benchmark ran on, for bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

function tryRun(command: string, args: string[]): string | undefined {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  npm: string | undefined;
  docker: string | undefined;
  compose: string | undefined;
  loadAtStart: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: osName(),
    kernel: release(),
    node: process.version,
    npm: tryRun('npm', ['--version']),
    docker: tryRun('docker', ['version', '--format', 'client {{.Client.Version}}, engine {{.Server.Version}}']),
    compose: tryRun('docker', ['compose', 'version', '--short']),
    loadAtStart: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

export function machineMarkdown(m: Machine): string {
  return [
    `- CPU: ${m.cpu}, ${m.cores} cores; memory: ${m.memoryGiB} GiB`,
    `- OS: ${m.os}, kernel ${m.kernel}`,
    `- Node ${m.node}, npm ${m.npm ?? 'n/a'}; Docker ${m.docker ?? 'n/a'}, Compose ${m.compose ?? 'n/a'}`,
    `- load average when the run started (1, 5, 15 min): ${m.loadAtStart}`,
  ].join('\n');
}
