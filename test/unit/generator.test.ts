// The Yeoman app generator (generators/app/index.ts) run by yeoman-test: the same core
// as the bin behind Yeoman's options, prompts, mem-fs and conflicter.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractBlock, mergeBlock } from '../../core/block.ts';
import { deriveModel } from '../../core/model.ts';
import { ANSWER_OPTIONS } from '../../core/options.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { unansweredOptions, validateAnswer } from '../../generators/app/index.ts';
import { exitCodeOf, runInteractive } from '../../generators/app/run-interactive.ts';
import { BIN, DEFAULT_PROJECT_FILES, ensureBuilt, expectedRedisAcl } from './helpers/cli.ts';
import { runGenerator, tempDirMaker } from './helpers/yo.ts';

type Obj = Record<string, any>;

const GENERATOR = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));
const NAMESPACE = 'wpsn-docker:app';
/** The sample app's questions in order: the app's own (start command, ...) are not asked about the sample; infrastructure after a yes to "advanced". */
const SAMPLE_PROMPTS = unansweredOptions([], true);
const PROMPTED = SAMPLE_PROMPTS.flatMap((o, i) => (o.advanced && !SAMPLE_PROMPTS[i - 1]?.advanced ? ['advanced', o.flag] : [o.flag]));

const tempDir = tempDirMaker('wpsn-gen-');

interface RunSpec {
  cwd: string;
  args?: string[];
  options?: Obj;
  answers?: Obj;
  /** Called for every question with the answer it gets; returns the answer. */
  callback?: (answer: unknown, options: { question: Obj }) => unknown;
}

/**
 * Runs the generator in `cwd` as `yo` would: no --force unless given (yeoman-test
 * forces by default, in the environment and in the generator options).
 */
function run({ cwd, args = [], options = {}, answers, callback }: RunSpec) {
  // Never writes outside the test's temp dir (such as into this checkout).
  let context = runGenerator(GENERATOR, NAMESPACE, cwd, options).withArguments(args);
  if (answers || callback) context = context.withAnswers(answers ?? {}, callback ? { callback: callback as never } : undefined);
  return context;
}

/** Relative file paths under `root`, sorted ("/" separated). */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** path -> sha256, mode and mtime of every file, to prove a run changed nothing. */
function fingerprint(root: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(root).map((f) => {
      const path = join(root, f);
      const stat = statSync(path);
      const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
      return [f, `${hash} ${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs}`];
    }),
  );
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const compose = (dir: string): Obj => parseYaml(read(dir, 'docker-compose.yml')) as Obj;
const state = (dir: string): Obj => (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'] as Obj;
const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

async function rejection(promise: PromiseLike<unknown>): Promise<Error & { code?: unknown; problems?: unknown; files?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the run to fail, and it succeeded');
}

describe('yo wpsn-docker demo --yes (default spec)', () => {
  let parent: string;
  let dir: string;
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    parent = tempDir();
    result = await run({ cwd: parent, args: ['demo'], options: { yes: true } });
    dir = join(parent, 'demo');
  });

  it('creates ./demo holding exactly the expected files, and nothing else anywhere', () => {
    expect(filesUnder(dir)).toEqual(DEFAULT_PROJECT_FILES);
    expect(filesUnder(parent).every((f) => f.startsWith('demo/'))).toBe(true);
    // No package manager install ran (no node_modules), no question was asked.
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    expect(result.askedQuestions).toEqual([]);
  });

  it('writes what the core renders for the default spec, byte for byte', () => {
    const spec = resolveSpec([{ source: 'test', values: {} }], { dirName: 'demo' });
    const files = renderAppFiles(deriveModel(spec, { sampleApp: true }));
    expect(files.length).toBe(DEFAULT_PROJECT_FILES.length - 4);
    for (const file of files) {
      const expected = file.kind === 'block' ? mergeBlock(undefined, file.content) : file.content;
      expect(read(dir, file.path), file.path).toBe(expected);
    }
  });

  it('records the answers and a hash of every generated file in .yo-rc.json', () => {
    const s = state(dir);
    expect(s.answers.projectName).toBe('demo');
    expect(s.answers.app).toMatchObject({ port: 3000, hostPort: 3000, packageManager: 'npm' });
    expect(s.sampleApp).toBe(true);
    const recorded = s.generated.files as Record<string, string>;
    expect(Object.keys(recorded).sort()).toEqual(DEFAULT_PROJECT_FILES.filter((f) => f !== '.yo-rc.json' && !f.startsWith('secrets/')));
    for (const [path, hash] of Object.entries(recorded)) {
      // Managed blocks (.gitignore, .gitattributes, .env.example): the hash is the block's.
      const text = read(dir, path);
      expect(sha256(extractBlock(text) ?? text), path).toBe(hash);
    }
    // Nothing but our key: Yeoman's own config storage did not write into it.
    expect(Object.keys(JSON.parse(read(dir, '.yo-rc.json')) as Obj)).toEqual(['generator-wpsn-docker']);
    expect(read(dir, '.yo-rc.json').endsWith('}\n')).toBe(true);
  });

  it('makes secrets/ 0700 holding 0644 secret files; the ACL follows the password', () => {
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    for (const f of ['secrets/redis_password', 'secrets/redis.acl']) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o644);
    const password = read(dir, 'secrets/redis_password');
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(read(dir, 'secrets/redis.acl')).toBe(expectedRedisAcl(dir));
  });

  it('matches the snapshots of docker-compose.yml and Dockerfile', async () => {
    await expect(read(dir, 'docker-compose.yml')).toMatchFileSnapshot('./__snapshots__/generator/docker-compose.yml');
    await expect(read(dir, 'Dockerfile')).toMatchFileSnapshot('./__snapshots__/generator/Dockerfile');
  });
});

describe('prompts', () => {
  it('asks every prompt of core/options.ts once, and the answers shape the output', async () => {
    const cwd = tempDir();
    const result = await run({ cwd, args: ['shop'], answers: { database: 'postgres', lang: 'ko', advanced: true, 'host-port': '8080' } });
    const dir = join(cwd, 'shop');
    expect(result.askedQuestions.map((q) => q.name)).toEqual(PROMPTED);
    const c = compose(dir);
    expect(Object.keys(c.services).sort()).toEqual(['app', 'db', 'redis'].sort());
    expect(c.services.app.ports).toEqual(['127.0.0.1:8080:3000']);
    expect(c.name).toBe('shop');
    expect(read(dir, 'README.Docker.md')).toMatch(/[\uAC00-\uD7A3]/);
    const a = state(dir).answers;
    expect(a).toMatchObject({ projectName: 'shop', lang: 'ko', app: { hostPort: 8080 }, database: { kind: 'postgres' } });
    expect(filesUnder(dir)).toContain('secrets/db_password');
    expect(statSync(join(dir, 'secrets/db_password')).mode & 0o777).toBe(0o644);
    expect(c.services.db.image).toMatch(/^postgres:/);
  });

  it('defaults: the project name from the directory name, the package manager detected', async () => {
    const cwd = tempDir();
    const dir = join(cwd, 'My Shop!');
    mkdirSync(dir);
    const pkg = '{"name":"my-shop","version":"1.0.0","scripts":{"start":"node src/index.js","build":"tsc"}}\n';
    writeFileSync(join(dir, 'package.json'), pkg);
    writeFileSync(join(dir, 'yarn.lock'), '');
    const questions: Obj[] = [];
    const result = await run({ cwd: dir, answers: { advanced: true }, callback: (answer, { question }) => (questions.push(question), answer) });
    const asked = Object.fromEntries(result.askedQuestions.map((q) => [q.name, q.answer]));
    // The app's questions first, each with what was detected and where from.
    expect(result.askedQuestions.slice(0, 5).map((q) => q.name)).toEqual(['command', 'port', 'health-check', 'health-path', 'build-script']);
    expect(asked['command']).toBe('node src/index.js');
    expect(questions.find((q) => q['name'] === 'command')?.['message']).toContain('(detected from package.json scripts.start)');
    expect(asked['health-check']).toBe('status');
    expect(asked['health-path']).toBe('/');
    expect(asked['build-script']).toBe('build');
    expect(asked['project-name']).toBe('my-shop');
    expect(asked['package-manager']).toBe('yarn');
    expect(asked['host-port']).toBe('3000');
    expect(asked['database']).toBe('none');
    expect(state(dir).answers).toMatchObject({ projectName: 'my-shop', app: { packageManager: 'yarn', command: ['node', 'src/index.js'], healthCheck: 'status', buildScript: 'build' } });
    // Not a sample app: the user's package.json stays.
    expect(read(dir, 'package.json')).toBe(pkg);
    expect(existsSync(join(dir, 'server.js'))).toBe(false);
  });

  it('a directory name that gives no project name: asked with no default, or an input error with --yes', async () => {
    const cwd = tempDir();
    const dir = join(cwd, '日本');
    mkdirSync(dir);
    const questions: Obj[] = [];
    await run({
      cwd: dir,
      answers: { 'project-name': 'nihon' },
      callback: (answer, { question }) => (questions.push(question), answer),
    });
    const question = questions.find((q) => q['name'] === 'project-name');
    expect(question?.['default']).toBeUndefined();
    expect(state(dir).answers.projectName).toBe('nihon');
    const other = join(cwd, '中文');
    mkdirSync(other);
    const error = await rejection(run({ cwd: other, options: { yes: true } }));
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('projectName');
    expect(error.message).toContain('--project-name');
    expect(filesUnder(other)).toEqual([]);
  });

  it('does not ask what a flag already answered', async () => {
    const cwd = tempDir();
    const result = await run({ cwd, options: { 'host-port': '4000', lang: 'ko' } });
    const names = result.askedQuestions.map((q) => q.name);
    expect(names).not.toContain('host-port');
    expect(names).not.toContain('lang');
    expect(names).toContain('database');
    expect(compose(cwd).services.app.ports).toEqual(['127.0.0.1:4000:3000']);
  });

  it('validates each answer with the spec: a bad one gets the rule as the message', async () => {
    const cwd = tempDir();
    const verdicts: Record<string, unknown> = {};
    await run({
      cwd,
      args: ['v'],
      answers: { advanced: true },
      callback: (answer, { question }) => {
        const validate = question['validate'] as ((value: unknown) => unknown) | undefined;
        if (question['name'] === 'host-port') {
          verdicts['70000'] = validate?.('70000');
          verdicts['80'] = validate?.('80');
          verdicts['abc'] = validate?.('abc');
          verdicts['8080'] = validate?.('8080');
        }
        if (question['name'] === 'project-name') verdicts['Bad Name'] = validate?.('Bad Name');
        if (question['name'] === 'base-image') verdicts['node:latest'] = validate?.('node:latest');
        return answer;
      },
    });
    expect(verdicts['70000']).toMatch(/from 1 to 65535/);
    expect(verdicts['80']).toMatch(/below 1024 are privileged/);
    expect(verdicts['abc']).toMatch(/whole number/);
    expect(verdicts['8080']).toBe(true);
    expect(verdicts['Bad Name']).toMatch(/project name must match/);
    expect(typeof verdicts['node:latest']).toBe('string');
  });

  it('validateAnswer and unansweredOptions work on layers directly', () => {
    const hostPort = ANSWER_OPTIONS.find((o) => o.flag === 'host-port')!;
    const context = { dirName: 'x' };
    expect(validateAnswer(hostPort, '8080', [], context)).toBe(true);
    expect(validateAnswer(hostPort, '0', [], context)).toMatch(/from 1 to 65535/);
    // A problem in another field does not fail this answer.
    expect(validateAnswer(hostPort, '8080', [{ source: 'f', values: { app: { port: 0 } } }], context)).toBe(true);
    const asked = unansweredOptions([{ source: '.yo-rc.json', values: { app: { hostPort: 1 } } }]).map((o) => o.flag);
    expect(asked).not.toContain('host-port');
    expect(asked).toContain('port');
  });
});

describe('re-runs', () => {
  it('with the same .yo-rc.json: asks nothing and changes nothing', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true } });
    const before = fingerprint(cwd);
    const result = await run({ cwd, answers: {} });
    expect(result.askedQuestions).toEqual([]);
    expect(fingerprint(cwd)).toEqual(before);
  });

  it('an edited Dockerfile merges with new answers under --yes; an edit of the lines they change stops the run with a ConflictError naming it and its hunk; nothing is written', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true } });
    writeFileSync(join(cwd, 'Dockerfile'), read(cwd, 'Dockerfile').replace('WORKDIR /app\n', 'WORKDIR /app\nENV TZ=Europe/Berlin\n'));
    await run({ cwd, options: { yes: true, port: '8080' } });
    expect(read(cwd, 'Dockerfile')).toContain('ENV TZ=Europe/Berlin\n');
    expect(read(cwd, 'Dockerfile')).toMatch(/^EXPOSE 8080$/m);
    writeFileSync(join(cwd, 'Dockerfile'), read(cwd, 'Dockerfile').replace(/^EXPOSE 8080$/m, 'EXPOSE 9999'));
    const before = fingerprint(cwd);
    const error = await rejection(run({ cwd, options: { yes: true, port: '3000', 'host-port': '4000' } }));
    expect(error.name).toBe('ConflictError');
    expect(error.code).toBe(3);
    expect(error.files).toEqual(['Dockerfile']);
    expect(error.message).toMatch(/^ {2}- Dockerfile\n {6}Dockerfile hunk 1\/1: yours line \d+, generated before line \d+, generated now line \d+$/m);
    expect(error.message).toContain('--force');
    // Nothing at all: not even docker-compose.yml, which the new host port changes and nobody edited.
    expect(fingerprint(cwd)).toEqual(before);
  });

  it('--force overwrites the edited file; secrets are never rewritten', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true } });
    const secrets = Object.fromEntries(Object.entries(fingerprint(cwd)).filter(([f]) => f.startsWith('secrets/')));
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(cwd, 'secrets/redis_password'), 'my-own-password-long\n');
    const mine = fingerprint(cwd)['secrets/redis_password'];
    await run({ cwd, options: { yes: true, force: true, 'host-port': '4000' } });
    expect(read(cwd, 'Dockerfile')).not.toBe('FROM scratch\n');
    expect(read(cwd, 'Dockerfile')).toContain('FROM ');
    expect(compose(cwd).services.app.ports).toEqual(['127.0.0.1:4000:3000']);
    // The user's password stays; the ACL follows it.
    expect(fingerprint(cwd)['secrets/redis_password']).toBe(mine);
    expect(read(cwd, 'secrets/redis.acl')).toContain(createHash('sha256').update('my-own-password-long').digest('hex'));
    expect(Object.keys(secrets)).toEqual(['secrets/redis.acl', 'secrets/redis_admin_password', 'secrets/redis_password']);
  });

  it('a run with other answers rewrites untouched files but not the secrets', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true } });
    const before = fingerprint(cwd);
    await run({ cwd, options: { yes: true, 'host-port': '5000' } });
    const after = fingerprint(cwd);
    expect(after['secrets/redis_password']).toBe(before['secrets/redis_password']);
    expect(after['secrets/redis.acl']).toBe(before['secrets/redis.acl']);
    expect(after['docker-compose.yml']).not.toBe(before['docker-compose.yml']);
    expect(state(cwd).answers.app.hostPort).toBe(5000);
  });

  it('interactive: an edit that overlaps the new answers is asked about before anything is written (keep mine, take the new version, conflict markers, show the differences)', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true } });
    const exposeMine = (port: string) => writeFileSync(join(cwd, 'Dockerfile'), read(cwd, 'Dockerfile').replace(/^EXPOSE \d+$/m, `EXPOSE ${port}`));
    exposeMine('9999');
    // Every question comes while the project is exactly as it was: nothing is written before the last answer.
    const asked: Array<{ name: string; choices: string[] }> = [];
    const untouched = (snapshot: Record<string, string>) => (answer: unknown, { question }: { question: Obj }) => {
      expect(fingerprint(cwd), `when asked ${String(question['name'])}`).toEqual(snapshot);
      asked.push({ name: String(question['name']), choices: ((question['choices'] as Obj[] | undefined) ?? []).map((c) => String(c['value'])) });
      return answer;
    };
    let before = fingerprint(cwd);
    await run({ cwd, options: { port: '8080', 'host-port': '4000' }, answers: { choice: 'keep' }, callback: untouched(before) });
    expect(asked.map((q) => q.name)).toEqual(['choice']);
    expect(asked[0]!.choices).toEqual(['keep', 'update', 'markers', 'diff']);
    expect(read(cwd, 'Dockerfile')).toMatch(/^EXPOSE 9999$/m);
    // The others were written after the answer (the host port is in the compose file)...
    expect(compose(cwd).services.app.ports).toEqual(['127.0.0.1:4000:8080']);
    // ...and the new version is recorded: the next run with the same answers has nothing new for the edit, and asks nothing.
    expect(state(cwd).generated.files['Dockerfile']).toBe(sha256(state(cwd).generated.base['Dockerfile'].join('\n')));
    const quiet = await run({ cwd, options: { port: '8080', 'host-port': '4000' }, answers: {} });
    expect(quiet.askedQuestions).toEqual([]);
    expect(read(cwd, 'Dockerfile')).toMatch(/^EXPOSE 9999$/m);

    // Conflict markers: both versions, marked, to resolve by hand.
    asked.length = 0;
    before = fingerprint(cwd);
    await run({ cwd, options: { port: '3000', 'host-port': '4000' }, answers: { choice: 'markers' }, callback: untouched(before) });
    expect(asked.map((q) => q.name)).toEqual(['choice']);
    expect(read(cwd, 'Dockerfile')).toMatch(/^<<<<<<< yours\nEXPOSE 9999\n\|\|\|\|\|\|\| generated before\nEXPOSE 8080\n=======\nEXPOSE 3000\n>>>>>>> generated now$/m);

    // Show the differences first (then asked again), then take the new version.
    exposeMine('7777');
    let shown = 0;
    const answers = ['diff', 'update'];
    asked.length = 0;
    before = fingerprint(cwd);
    await run({
      cwd,
      options: { port: '8080', 'host-port': '4000' },
      callback: (answer, options) => {
        untouched(before)(answer, options);
        shown += answers[0] === 'diff' ? 1 : 0;
        return answers.shift();
      },
    });
    expect(asked.map((q) => q.name)).toEqual(['choice', 'choice']);
    expect(shown).toBe(1);
    expect(read(cwd, 'Dockerfile')).toMatch(/^EXPOSE 8080$/m);
    expect(read(cwd, 'Dockerfile')).not.toContain('<<<<<<<');
    expect(sha256(read(cwd, 'Dockerfile'))).toBe(state(cwd).generated.files['Dockerfile']);
  });

  it('tightens an existing loose secrets/ directory to 0700 before writing secrets into it', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'secrets'));
    chmodSync(join(cwd, 'secrets'), 0o755);
    await run({ cwd, options: { yes: true } });
    expect(statSync(join(cwd, 'secrets')).mode & 0o777).toBe(0o700);
    expect(filesUnder(cwd)).toContain('secrets/redis_password');
  });

  it('removes a generated file that is no longer generated and untouched', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true } });
    const rc = JSON.parse(read(cwd, '.yo-rc.json')) as Obj;
    rc['generator-wpsn-docker'].generated.files['WORKSHOP.md'] = sha256('old\n');
    writeFileSync(join(cwd, '.yo-rc.json'), `${JSON.stringify(rc, null, 2)}\n`);
    writeFileSync(join(cwd, 'WORKSHOP.md'), 'old\n');
    await run({ cwd, options: { yes: true } });
    expect(existsSync(join(cwd, 'WORKSHOP.md'))).toBe(false);
    expect(state(cwd).generated.files['WORKSHOP.md']).toBeUndefined();
  });
});

describe('invalid input', () => {
  it('--host-port 70000 fails naming app.hostPort and --host-port; nothing is written', async () => {
    const cwd = tempDir();
    const error = await rejection(run({ cwd, options: { yes: true, 'host-port': '70000' } }));
    expect(error.name).toBe('InputError');
    expect(error.code).toBe(2);
    expect(error.message).toContain('app.hostPort');
    expect(error.message).toContain('--host-port');
    expect(error.message).toContain('70000');
    expect(error.message).toContain('nothing was written');
    expect(filesUnder(cwd)).toEqual([]);
  });

  it('fails before asking anything when a flag is invalid', async () => {
    const cwd = tempDir();
    const asked: string[] = [];
    const error = await rejection(
      run({ cwd, options: { database: 'oracle' }, answers: {}, callback: (a, { question }) => (asked.push(String(question['name'])), a) }),
    );
    expect(error.message).toContain('database.kind');
    expect(asked).toEqual([]);
  });

  it('accepts numbers as yo passes them (meow parses --host-port 8080 into 8080)', async () => {
    const cwd = tempDir();
    await run({ cwd, options: { yes: true, 'host-port': 8080, hostPort: 8080 } });
    expect(compose(cwd).services.app.ports).toEqual(['127.0.0.1:8080:3000']);
  });

  it.each([['in the destination', ['p']], ['in the current directory', []]])(
    'a corrupted .yo-rc.json %s is an input error naming the file',
    async (_where, args) => {
      const cwd = tempDir();
      const dir = args.length ? join(cwd, 'p') : cwd;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, '.yo-rc.json'), '{ not json');
      const error = await rejection(run({ cwd, args, options: { yes: true } }));
      expect(error.name).toBe('InputError');
      expect(error.message).toContain('(.yo-rc.json): is not valid JSON');
      expect(error.code).toBe(2);
      expect(filesUnder(cwd)).toEqual(args.length ? ['p/.yo-rc.json'] : ['.yo-rc.json']);
    },
  );

  it('more than one directory is a usage error', async () => {
    const cwd = tempDir();
    const error = await rejection(run({ cwd, args: ['a', 'b'], options: { yes: true } }));
    expect(error.message).toContain('one directory at most');
    expect(filesUnder(cwd)).toEqual([]);
  });
});

describe('runInteractive (the bin on a terminal)', () => {
  it('runs the registered generator and maps errors to exit codes', async () => {
    const cwd = tempDir();
    const one = join(cwd, 'one');
    expect(await runInteractive(one, { yes: true })).toBe(0);
    expect(filesUnder(one)).toEqual(DEFAULT_PROJECT_FILES);
    expect(await runInteractive(join(cwd, 'two'), { yes: true, 'host-port': '70000' })).toBe(2);
    expect(existsSync(join(cwd, 'two'))).toBe(false);
    // An edit with nothing new to merge is kept (exit 0); one the new answers overlap stops the run (3).
    writeFileSync(join(one, 'Dockerfile'), 'FROM scratch\n');
    expect(await runInteractive(one, { yes: true })).toBe(0);
    expect(await runInteractive(one, { yes: true, port: '8080' })).toBe(3);
    expect(read(join(cwd, 'one'), 'Dockerfile')).toBe('FROM scratch\n');
    expect(exitCodeOf(new Error('x'))).toBe(1);
  });
});

// The bin on a real terminal (a pseudo-terminal from util-linux `script`): the prompts of
// the real TerminalAdapter and inquirer, a bad answer re-asked with the rule, and the
// answers reaching the files.
describe('wpsn-docker on a terminal (script(1) pseudo-terminal)', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  interface Terminal {
    /** Waits until `pattern` appears in the output after what earlier waits consumed. */
    waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
    send(keys: string): void;
    exit: Promise<number | null>;
    output(): string;
  }

  function terminal(cwd: string, args: string[]): Terminal {
    const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', TERM: 'xterm', COLUMNS: '120', LINES: '40' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let text = '';
    let consumed = 0;
    const listeners = new Set<() => void>();
    const onData = (chunk: Buffer) => {
      // eslint-disable-next-line no-control-regex
      text += chunk.toString('utf8').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
      for (const listener of listeners) listener();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exit = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
    return {
      output: () => text,
      send: (keys) => void child.stdin.write(keys),
      exit,
      waitFor: (pattern, timeoutMs = 20_000) =>
        new Promise<void>((resolveWait, rejectWait) => {
          const check = () => {
            const match = pattern.exec(text.slice(consumed));
            if (!match) return false;
            consumed += match.index + match[0].length;
            listeners.delete(check);
            clearTimeout(timer);
            resolveWait();
            return true;
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            child.kill();
            rejectWait(new Error(`timed out waiting for ${pattern} in:\n${text}`));
          }, timeoutMs);
          listeners.add(check);
          check();
        }),
    };
  }

  const ENTER = '\r';
  const DOWN = '\u001b[B';
  const BACKSPACE = '\u007f';

  it('asks, re-asks a bad host port with the rule, writes the answers; a re-run asks nothing', async () => {
    const cwd = tempDir();
    const t = terminal(cwd, ['demo']);
    // Every prompt of core/options.ts in order: Enter takes the default, except these.
    const keys: Record<string, () => Promise<void>> = {
      'host-port': async () => {
        t.send(`70000${ENTER}`);
        await t.waitFor(/the host port must be from 1 to 65535/);
        t.send(`${BACKSPACE.repeat(5)}8080${ENTER}`);
      },
      database: async () => t.send(`${DOWN}${ENTER}`), // postgres
      lang: async () => t.send(`${DOWN}${ENTER}`), // ko
    };
    for (const [i, option] of SAMPLE_PROMPTS.entries()) {
      if (option.advanced && !SAMPLE_PROMPTS[i - 1]?.advanced) {
        await t.waitFor(/Change the infrastructure settings/);
        t.send(`y${ENTER}`);
      }
      await t.waitFor(new RegExp(option.prompt!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      if (option.flag === 'project-name') await t.waitFor(/\(demo\)/);
      await (keys[option.flag] ?? (async () => t.send(ENTER)))();
    }
    expect(await t.exit, t.output()).toBe(0);
    expect(t.output()).toContain('Next: cd demo && docker compose up -d --build --wait');
    const dir = join(cwd, 'demo');
    expect(compose(dir).services.app.ports).toEqual(['127.0.0.1:8080:3000']);
    expect(compose(dir).services.db.image).toMatch(/^postgres:/);
    expect(state(dir).answers).toMatchObject({ projectName: 'demo', lang: 'ko', app: { hostPort: 8080 }, database: { kind: 'postgres' } });
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);

    const before = fingerprint(dir);
    const again = terminal(cwd, ['demo']);
    expect(await again.exit, again.output()).toBe(0);
    expect(again.output()).not.toMatch(/\?\s+(Project name|Host port|Database)/);
    expect(again.output()).toContain('up to date: nothing changed');
    expect(fingerprint(dir)).toEqual(before);
  });

  it('wpsn-docker registry --registry ... on a terminal asks about an overlapping edit before writing (no exit 3), and conflict markers are written as chosen', async () => {
    const cwd = tempDir();
    const parent = join(cwd, 'p');
    mkdirSync(parent);
    const made = terminal(parent, ['demo', '--yes', '--registry', 'ghcr']);
    expect(await made.exit, made.output()).toBe(0);
    const dir = join(parent, 'demo');
    const script = read(dir, 'scripts/push-ghcr.sh');
    expect(script).toContain("GHCR_OWNER=${GHCR_OWNER:-''}");
    writeFileSync(join(dir, 'scripts/push-ghcr.sh'), script.replace("GHCR_OWNER=${GHCR_OWNER:-''}", "GHCR_OWNER=${GHCR_OWNER:-'mine'}"));
    const before = fingerprint(dir);
    const t = terminal(dir, ['registry', '--registry', 'ghcr', '--ghcr-owner', 'acme']);
    // (The terminal wraps the question at 80 columns.)
    await t.waitFor(/scripts\/push-ghcr\.sh was edited since it was generated, and the new version/);
    await t.waitFor(/write both, with conflict markers/);
    await t.waitFor(/show the differences first/);
    // Asked before anything is written.
    expect(fingerprint(dir)).toEqual(before);
    t.send(`${DOWN}${DOWN}${ENTER}`); // keep, take new, markers
    expect(await t.exit, t.output()).toBe(0);
    const merged = read(dir, 'scripts/push-ghcr.sh');
    expect(merged).toContain("<<<<<<< yours\n  GHCR_OWNER=${GHCR_OWNER:-'mine'}\n||||||| generated before\n  GHCR_OWNER=${GHCR_OWNER:-''}\n=======\n  GHCR_OWNER=${GHCR_OWNER:-'acme'}\n>>>>>>> generated now\n");
  });
});
