// A real registry for live tests: Debian's docker-registry (distribution) with htpasswd
// auth on a free loopback port, its storage in a temporary folder. The engine treats
// 127.0.0.0/8 registries as insecure-allowed, so plain HTTP works for push and pull.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, sleep } from './run.ts';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
export const HTPASSWD_BIN = '/usr/bin/htpasswd';

export interface LocalRegistry {
  /** host:port, such as 127.0.0.1:41234. */
  host: string;
  /** The first user (the one catalog() uses). */
  user: string;
  /** Every user's password. */
  password: string;
  /** Everything the registry logged, for failure messages. */
  log(): string;
  /** Repository paths the registry holds (its catalog). */
  catalog(): Promise<string[]>;
  stop(): void;
}

export interface RegistryOptions {
  /** htpasswd users, all with the one password; the first is `user`. Default: ['deployer']. */
  users?: readonly string[];
  /** Default: a fresh random one. */
  password?: string;
}

/** Starts the registry under `root` (which must exist) and waits until it asks for credentials. */
export async function startRegistry(root: string, options: RegistryOptions = {}): Promise<LocalRegistry> {
  const users = options.users ?? ['deployer'];
  const user = users[0];
  if (user === undefined) throw new Error('startRegistry needs at least one user');
  for (const tool of [REGISTRY_BIN, HTPASSWD_BIN]) {
    if (!existsSync(tool)) throw new Error(`${tool} is needed (scripts/test-env.sh installs docker-registry and apache2-utils)`);
  }
  const password = options.password ?? `pw-${randomBytes(12).toString('hex')}`;
  const htpasswd = users.map((name) => {
    const hash = spawnSync(HTPASSWD_BIN, ['-Bbn', name, password], { encoding: 'utf8' });
    if (hash.status !== 0) throw new Error(`htpasswd failed for ${name}: ${hash.stderr}`);
    return hash.stdout.trim();
  });
  const dir = join(root, 'registry');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'htpasswd'), `${htpasswd.join('\n')}\n`);
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: ${host}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: wpsn-live',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 401) break; // up, and asking for credentials
    } catch {
      /* not listening yet */
    }
    if (i > 100 || child.exitCode !== null) {
      child.kill('SIGTERM');
      throw new Error(`the registry did not start on ${host}:\n${output}`);
    }
    await sleep(100);
  }
  return {
    host,
    user,
    password,
    log: () => output,
    catalog: async () => {
      const res = await fetch(`http://${host}/v2/_catalog`, { headers: { Authorization: auth } });
      if (res.status !== 200) throw new Error(`catalog: HTTP ${res.status}`);
      return ((await res.json()) as { repositories: string[] }).repositories;
    },
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
