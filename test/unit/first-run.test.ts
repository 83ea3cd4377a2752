// A first run that helps (issue 14): a mistyped command, flag or answers-file key is
// refused with "did you mean ...?", the argument parser's own text never reaches the
// user, and a project name Compose would refuse gets the name it would normalise to.
// Each message is asserted exactly.
import { spawnSync } from 'node:child_process';
import { constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHint, type ContainerRow } from '../../bin/commands/verify.ts';
import { destinationAccessProblem, exitCodeOf, guardTasks, switchedFromRoot, withNumericExitCode } from '../../generators/shared/exit.ts';
import { ConflictError } from '../../core/errors.ts';
import { COMMAND_NAMES, commandTypo, parseCommandLine, unknownFlagMessage, UsageError, yoCommandTypo, type FlagSpecs } from '../../bin/args.ts';
import { runGenerator, tempDirMaker } from './helpers/yo.ts';
import { readAnswersFile } from '../../core/answers-file.ts';
import { InputError } from '../../core/errors.ts';
import { flagsLayer, resolveSpec } from '../../core/spec.ts';
import { keysAt } from '../../core/spec-keys.ts';
import { closest, editDistance } from '../../core/suggest.ts';
import { StackSpec } from '../../schema/stack.ts';
import { ensureBuilt, makeTempDir, removeTempDirs, runCli } from './helpers/cli.ts';

const COMMANDS = ['verify', 'registry', 'deploy', 'bundle', 'doctor'];

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('no error');
}

describe('editDistance and closest', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('verfiy', 'verify')).toBe(1);
    expect(editDistance('databse', 'database')).toBe(1);
    expect(editDistance('doctr', 'doctor')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('demo', 'deploy')).toBe(3);
  });

  it('suggests within 2 edits (1 for short words), never on a tie', () => {
    expect(closest('verfiy', COMMANDS)).toBe('verify');
    expect(closest('regsitry', COMMANDS)).toBe('registry');
    expect(closest('bundel', COMMANDS)).toBe('bundle');
    expect(closest('demo', COMMANDS)).toBeUndefined();
    expect(closest('app', COMMANDS)).toBeUndefined();
    expect(closest('HOSTPORT', ['hostPort', 'port'])).toBe('hostPort');
    expect(closest('ab', ['ac', 'ad'])).toBeUndefined();
  });
});

describe('the command line: clean messages naming the flag, the value and the rule', () => {
  const specs: FlagSpecs = { database: { type: 'string' }, port: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, force: { type: 'boolean' } };

  it('reads flags, values and positionals as parseArgs does', () => {
    expect(parseCommandLine(['demo', '--port', '8080', '-y', '--database=postgres', '--', '--x'], specs)).toEqual({
      values: { port: '8080', yes: true, database: 'postgres' },
      positionals: ['demo', '--x'],
    });
    expect(parseCommandLine(['--port=-1'], specs).values).toEqual({ port: '-1' });
  });

  it('an unknown flag, with the known one it is closest to', () => {
    expect(usageMessage(() => parseCommandLine(['--databse', 'postgres'], specs))).toBe('--databse: unknown option; did you mean --database?');
    expect(usageMessage(() => parseCommandLine(['--colour'], specs))).toBe('--colour: unknown option');
    expect(usageMessage(() => parseCommandLine(['-x'], specs))).toBe('-x: unknown option');
    expect(unknownFlagMessage('--forse', specs)).toBe('--forse: unknown option; did you mean --force?');
  });

  it('a missing value, the next flag in its place, a value for a switch', () => {
    expect(usageMessage(() => parseCommandLine(['--port'], specs))).toBe('--port: needs a value (--port VALUE), and none was given');
    expect(usageMessage(() => parseCommandLine(['--port', '--yes'], specs))).toBe(
      '--port = "--yes": the word after --port looks like an option, not its value: give --port a value, or write --port=--yes if that is the value',
    );
    expect(usageMessage(() => parseCommandLine(['--yes=no'], specs))).toBe('--yes = "no": takes no value (it is a switch: write --yes alone)');
  });

  it('a directory argument that is a command mistyped or out of place', () => {
    expect(commandTypo('verfiy', COMMANDS)).toBe('"verfiy" is not a command; did you mean verify? (to scaffold into a directory of that name, write ./verfiy); nothing was written');
    expect(commandTypo('deploy', COMMANDS)).toBe('"deploy" is a command: write it first (wpsn-docker deploy ...), or write ./deploy to scaffold into a directory of that name; nothing was written');
    expect(commandTypo('./verfiy', COMMANDS)).toBeUndefined();
    expect(commandTypo('demo', COMMANDS)).toBeUndefined();
    expect(commandTypo('my-app', COMMANDS)).toBeUndefined();
  });
});

describe('answers: an unknown key names the file, the key and the key it is closest to', () => {
  it('keysAt finds the keys of nested objects, list entries and the catalog entry of its kind', () => {
    expect(keysAt(StackSpec, [], {})).toContain('database');
    expect(keysAt(StackSpec, ['app'], {})).toContain('hostPort');
    expect(keysAt(StackSpec, ['extraServices', 0], { extraServices: [{}] })).toContain('hardening');
    const valkey = keysAt(StackSpec, ['services', 0], { services: [{ kind: 'valkey' }] });
    expect(valkey).toContain('persistence');
    expect(valkey).not.toContain('cacheMb');
    expect(keysAt(StackSpec, ['projectName'], {})).toEqual([]);
  });

  it('from an answers file', () => {
    const dir = makeTempDir('wpsn-first-run-');
    const file = join(dir, 'answers.yaml');
    writeFileSync(file, 'projectName: shop\ndatabse:\n  kind: postgres\napp:\n  hostport: 8080\n');
    expect(usageMessage(() => resolveSpec([readAnswersFile(file)], { dirName: 'x' }))).toBe(
      [
        'invalid input (2 problems); nothing was written:',
        '  - app.hostport (--answers answers.yaml) = 8080: unknown key: not part of the stack spec (see schema/stack.schema.json); did you mean hostPort?',
        '  - databse (--answers answers.yaml) = {"kind":"postgres"}: unknown key: not part of the stack spec (see schema/stack.schema.json); did you mean database?',
      ].join('\n'),
    );
  });

  it('several keys of one entry, each with its guess; none for a key close to nothing', () => {
    const layer = { source: '--answers b.json', values: { services: [{ kind: 'valkey', volum: 'x', imgae: 'y' }], zzz: 1 } };
    expect(usageMessage(() => resolveSpec([layer], { dirName: 'x' }))).toBe(
      [
        'invalid input (2 problems); nothing was written:',
        '  - services.0.volum, services.0.imgae (--answers b.json): unknown keys: not part of the stack spec (see schema/stack.schema.json); did you mean volum -> volume, imgae -> image?',
        '  - zzz (--answers b.json) = 1: unknown key: not part of the stack spec (see schema/stack.schema.json)',
      ].join('\n'),
    );
  });
});

describe('--project-name: taken as given, with the name it would normalise to offered', () => {
  const rule = 'the project name must match ^[a-z0-9][a-z0-9_-]*$ (lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 63 characters)';
  it.each([
    ['My App', `; did you mean my-app?`],
    ['my.app', `; did you mean my-app?`],
    ['Shop', `; did you mean shop?`],
    ['日本', ''],
  ])('%s', (name, guess) => {
    expect(usageMessage(() => resolveSpec([flagsLayer({ 'project-name': name })], { dirName: 'x' }))).toBe(
      `invalid input (1 problem); nothing was written:\n  - projectName (--project-name) = ${JSON.stringify(name)}: ${rule}${guess}`,
    );
  });

  it('the default from a directory named "My App" is normalised', () => {
    expect(resolveSpec([], { dirName: 'My App' }).projectName).toBe('my-app');
  });
});

describe('the built bin: exit 2, the message exactly, nothing written', () => {
  let cwd: string;
  beforeAll(() => {
    ensureBuilt();
    cwd = makeTempDir('wpsn-first-run-cli-');
  });
  afterAll(() => removeTempDirs());

  it.each([
    [['verfiy'], 'wpsn-docker: "verfiy" is not a command; did you mean verify? (to scaffold into a directory of that name, write ./verfiy); nothing was written\n'],
    [['--yes', 'verify'], 'wpsn-docker: "verify" is a command: write it first (wpsn-docker verify ...), or write ./verify to scaffold into a directory of that name; nothing was written\n'],
    [['--databse', 'postgres', '--yes'], 'wpsn-docker: --databse: unknown option; did you mean --database?\nRun wpsn-docker --help for the options.\n'],
    [['--port'], 'wpsn-docker: --port: needs a value (--port VALUE), and none was given\nRun wpsn-docker --help for the options.\n'],
    [['registry', '--registy', 'ghcr'], 'wpsn-docker registry: --registy: unknown option; did you mean --registry?\nRun wpsn-docker registry --help for the options.\n'],
    [['deploy', '--deplyo', 'swarm'], 'wpsn-docker deploy: --deplyo: unknown option; did you mean --deploy?\nRun wpsn-docker deploy --help for the options.\n'],
    [['verify', '--jsn'], 'wpsn-docker verify: --jsn: unknown option; did you mean --json?\nRun wpsn-docker verify --help for the options.\n'],
    [['bundle', '--levle', '3'], 'wpsn-docker bundle: --levle: unknown option; did you mean --level?\nRun wpsn-docker bundle --help for the options.\n'],
    [['doctor', '--no-pul'], 'wpsn-docker doctor: --no-pul: unknown option; did you mean --no-pull?\nRun wpsn-docker doctor --help for the options.\n'],
  ])('wpsn-docker %j', (args, message) => {
    const r = runCli(cwd, args);
    expect(r.stderr, r.describe).toBe(message);
    expect(r.code, r.describe).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an answers file with a mistyped key: the file, the key and the guess', () => {
    const dir = makeTempDir('wpsn-first-run-answers-');
    writeFileSync(join(dir, 'answers.yml'), 'databse: postgres\n');
    const r = runCli(dir, ['out', '--yes', '--answers', 'answers.yml']);
    expect(r.stderr, r.describe).toBe(
      'wpsn-docker: invalid input (1 problem); nothing was written:\n  - databse (--answers answers.yml) = "postgres": unknown key: not part of the stack spec (see schema/stack.schema.json); did you mean database?\n',
    );
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('verify when nothing runs: the command that starts the stack', () => {
  const project = { dir: '/work/shop', name: 'shop', nameSource: '.yo-rc.json' };
  it('from the project folder, from above it, with a name Compose would not pick', () => {
    expect(startHint(project, [], '/work/shop')).toBe('nothing of the project shop is running: start it with  docker compose up -d --build --wait  then run verify again');
    expect(startHint(project, [], '/work')).toBe('nothing of the project shop is running: start it with  cd shop && docker compose up -d --build --wait  then run verify again');
    expect(startHint({ ...project, dir: '/work/my shop' }, [], '/work')).toBe(
      "nothing of the project shop is running: start it with  cd 'my shop' && docker compose up -d --build --wait  then run verify again",
    );
    expect(startHint({ ...project, name: 'other', nameSource: '--project-name' }, [], '/work/shop')).toBe(
      'nothing of the project other is running: start it with  docker compose -p other up -d --build --wait  then run verify again',
    );
  });

  it('says nothing when a container exists (its reason says what is wrong)', () => {
    expect(startHint(project, [{ service: 'app' } as ContainerRow], '/work/shop')).toBeUndefined();
  });

  const engine = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20_000 }).status === 0;
  it.skipIf(!engine)('the built bin, in a project never started: exit 1, each service missing, then the command', () => {
    ensureBuilt();
    const parent = makeTempDir('wpsn-first-run-verify-');
    const name = `wpsn-never-started-${process.pid}`;
    expect(runCli(parent, [name, '--yes']).code).toBe(0);
    const r = runCli(parent, ['verify', name]);
    expect(r.code, r.describe).toBe(1);
    expect(r.stderr, r.describe).toBe(
      `app: no container\nredis: no container\nnothing of the project ${name} is running: start it with  cd ${name} && docker compose up -d --build --wait  then run verify again\n`,
    );
  });
});

describe('yo started as root: found before the first question, said with what to do', () => {
  /** An access() that finds nothing under /missing, refuses reading the `unreadable` paths and writing the `readOnly` ones. */
  const access =
    (readOnly: string[], unreadable: string[] = []) =>
    (path: string, mode: number) => {
      if (path.startsWith('/missing')) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      if (mode !== constants.F_OK && unreadable.includes(path)) throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
      if ((mode & constants.W_OK) !== 0 && readOnly.includes(path)) throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
    };
  const yoUser = { uid: 1000, gid: 0 };
  const advice =
    "Run yo as a normal user in a folder of yours; or run it in a folder user 1000 can write to (and can enter every folder above); or use wpsn-docker, which runs as whoever starts it, root included (npx -p generator-wpsn-docker wpsn-docker)";

  it('tells yo\'s switch from root from a normal user', () => {
    expect(switchedFromRoot({ uid: 1000, gid: 0 })).toBe(true);
    expect(switchedFromRoot({ uid: 1001, gid: 1001, sudoUid: '1001' })).toBe(true);
    expect(switchedFromRoot({ uid: 1000, gid: 1000 })).toBe(false);
    expect(switchedFromRoot({ uid: 0, gid: 0 })).toBe(false);
  });

  it('the folder yo runs in cannot be read (/root is 0700)', () => {
    expect(destinationAccessProblem('demo', '/root', yoUser, access([], ['/root']))).toEqual({
      path: '/root',
      rule: `yo was started as root, so it runs generators as user 1000 (yo's root-check switches to $SUDO_UID, else to 1000), and that user cannot read the folder it runs in; nothing was asked. ${advice}`,
    });
  });

  it('the destination, or the folder it is made in, cannot be written', () => {
    expect(destinationAccessProblem('.', '/srv/app', yoUser, access(['/srv/app']))?.rule).toBe(
      `yo was started as root, so it runs generators as user 1000 (yo's root-check switches to $SUDO_UID, else to 1000), and that user cannot write to the destination; nothing was asked. ${advice}`,
    );
    expect(destinationAccessProblem('/missing/demo', '/srv', yoUser, access(['/']))).toMatchObject({ path: '/' });
    expect(destinationAccessProblem('.', '/srv/app', { uid: 1000, gid: 1000 }, access(['/srv/app']))).toEqual({
      path: '/srv/app',
      rule: 'user 1000 cannot write to the destination; nothing was asked. Choose a folder you can write to, or make this one writable',
    });
  });

  it('no problem where the user can read and write', () => {
    expect(destinationAccessProblem('demo', '/srv', yoUser, access([]))).toBeUndefined();
  });
});

describe('every error that reaches yo carries a numeric exit code', () => {
  it('2 input, 3 conflict, a number kept, 1 for a string code (EACCES) or none', () => {
    expect(exitCodeOf(new InputError([{ field: 'x', rule: 'r' }]))).toBe(2);
    expect(exitCodeOf(new ConflictError(['Dockerfile']))).toBe(3);
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/root/x'"), { code: 'EACCES' });
    expect(withNumericExitCode(eacces)).toBe(eacces);
    expect(eacces).toMatchObject({ code: 1, errno: 'EACCES', message: "EACCES: permission denied, open '/root/x'" });
    expect(withNumericExitCode(Object.assign(new Error('x'), { code: 77 }))).toMatchObject({ code: 77 });
    expect(withNumericExitCode('a string')).toMatchObject({ code: 1, message: 'a string' });
    const frozen = Object.freeze(Object.assign(new Error('frozen'), { code: 'ENOSPC' }));
    expect(withNumericExitCode(frozen)).toMatchObject({ code: 1, message: 'frozen', cause: frozen });
  });

  it('a generator\'s task that fails with EACCES lets out code 1 (guardTasks), not the string yo cannot exit with', async () => {
    const gen = {
      async executeTask(): Promise<void> {
        throw Object.assign(new Error("EACCES: permission denied, mkdir '/srv/demo'"), { code: 'EACCES' });
      },
    };
    guardTasks(gen);
    await expect(gen.executeTask()).rejects.toMatchObject({ code: 1, errno: 'EACCES', message: "EACCES: permission denied, mkdir '/srv/demo'" });
    expect(Object.keys(Object.getPrototypeOf(gen) as object)).not.toContain('executeTask');
  });
});

describe('yo wpsn-docker <command>: not a folder either', () => {
  it('says which generator or bin command was meant', () => {
    expect(yoCommandTypo('registry')).toBe('"registry" is a command (yo wpsn-docker:registry); to scaffold into a directory of that name, write ./registry');
    expect(yoCommandTypo('deplyo')).toBe('"deplyo" is not a command; did you mean deploy? (yo wpsn-docker:deploy); to scaffold into a directory of that name, write ./deplyo');
    expect(yoCommandTypo('verfiy')).toBe('"verfiy" is not a command; did you mean verify? (wpsn-docker verify); to scaffold into a directory of that name, write ./verfiy');
    expect(yoCommandTypo('./registry')).toBeUndefined();
    expect(yoCommandTypo('demo')).toBeUndefined();
  });

  it('the bin\'s help lists exactly these commands', () => {
    ensureBuilt();
    const help = runCli(makeTempDir('wpsn-first-run-help-'), ['--help']).stdout;
    const section = help.slice(help.indexOf('\nCommands'), help.indexOf('\nExit codes'));
    expect([...section.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1])).toEqual([...COMMAND_NAMES]);
  });

  it('the generator refuses before anything is read or asked: exit 2, nothing written', async () => {
    const cwd = tempDirMaker('wpsn-first-run-yo-')();
    const generator = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));
    let error: (Error & { code?: unknown }) | undefined;
    try {
      await runGenerator(generator, 'wpsn-docker:app', cwd, { yes: true }).withArguments(['verfiy']);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toBe(
      'invalid input (1 problem); nothing was written:\n  - directory = "verfiy": "verfiy" is not a command; did you mean verify? (wpsn-docker verify); to scaffold into a directory of that name, write ./verfiy',
    );
    expect(error?.code).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('yo wpsn-docker --databse: a flag close to a declared one is refused', () => {
  const generator = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));
  async function failure(options: Record<string, unknown>): Promise<Error & { code?: unknown }> {
    const cwd = tempDirMaker('wpsn-first-run-yo-flags-')();
    try {
      await runGenerator(generator, 'wpsn-docker:app', cwd, { yes: true, ...options }).withArguments(['demo']);
    } catch (error) {
      expect(readdirSync(cwd)).toEqual([]);
      return error as Error;
    }
    throw new Error('the run succeeded');
  }

  it('as yo passes it (meow: camelCase and the flag as typed), exit 2, nothing written', async () => {
    const error = await failure({ databse: 'postgres', hostProt: '8080', 'host-prot': '8080' });
    expect(error.message).toBe(
      'invalid input (2 problems); nothing was written:\n  - --databse: unknown option; did you mean --database?\n  - --host-prot: unknown option; did you mean --host-port?',
    );
    expect(error.code).toBe(2);
  });

  it('the options Yeoman and yo add themselves, and declared flags in camelCase, are no typos', async () => {
    const cwd = tempDirMaker('wpsn-first-run-yo-flags-')();
    await runGenerator(generator, 'wpsn-docker:app', cwd, { yes: true, dryRun: true, 'dry-run': true, hostPort: '8080', skipLocalCache: true, sharedData: {}, _: [] }).withArguments(['demo']);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('yo wpsn-docker:registry --registy: the sub-generators refuse a mistyped flag too', () => {
  it('exit 2 before anything is read or asked, the project unchanged', async () => {
    ensureBuilt();
    const parent = makeTempDir('wpsn-first-run-sub-');
    expect(runCli(parent, ['shop', '--yes']).code).toBe(0);
    const project = join(parent, 'shop');
    const before = readdirSync(project).sort();
    const yoRc = readFileSync(join(project, '.yo-rc.json'), 'utf8');
    for (const [name, flag, guess] of [
      ['registry', 'registy', 'registry'],
      ['deploy', 'deplyo', 'deploy'],
    ] as const) {
      const generator = fileURLToPath(new URL(`../../generators/${name}/index.ts`, import.meta.url));
      let error: (Error & { code?: unknown }) | undefined;
      try {
        await runGenerator(generator, `wpsn-docker:${name}`, project, { yes: true, [flag]: 'x' });
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message).toBe(`invalid input (1 problem); nothing was written:\n  - --${flag}: unknown option; did you mean --${guess}?`);
      expect(error?.code).toBe(2);
    }
    expect(readdirSync(project).sort()).toEqual(before);
    expect(readFileSync(join(project, '.yo-rc.json'), 'utf8')).toBe(yoRc);
  });
});
