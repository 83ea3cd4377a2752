// Renderer invariants, on the default spec and variants: the compose file means the same
// to YAML 1.1 and 1.2 readers, publishes only the app (on the chosen address), keeps
// Redis and the database on an internal network, holds no secret; the Dockerfile uses
// the pinned base through an ARG, runs as non-root, uses exec form, and parses.
import { DockerfileParser, Keyword } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { composeObject, renderCompose } from '../../core/render/compose.ts';
import { renderAppFiles, type RenderedFile } from '../../core/render/files.ts';
import { planSecrets } from '../../core/secrets.ts';
import { resolveSpec } from '../../core/spec.ts';
import { DEFAULT_DATABASE_IMAGES } from '../../services/index.ts';
import { parseImageReference, pinProblem } from '../../schema/image-ref.ts';

type Obj = Record<string, any>;

const VARIANTS: Array<[string, Record<string, unknown>]> = [
  ['default', {}],
  ['postgres', { database: { kind: 'postgres' } }],
  ['mysql', { database: { kind: 'mysql', name: 'shop', user: 'shop' } }],
  ['mariadb', { database: { kind: 'mariadb', volume: 'maria' } }],
  ['ko', { lang: 'ko' }],
  ['IPv6 bind ::1', { app: { bind: '::1' } }],
  ['bind 0.0.0.0', { app: { bind: '0.0.0.0', hostPort: 8080 } }],
  ['pnpm', { app: { packageManager: 'pnpm' } }],
  ['yarn', { app: { packageManager: 'yarn' } }],
  ['buildScript', { app: { buildScript: 'build', command: ['node', 'dist/server.js'] } }],
  ['custom names', { projectName: 'no', app: { port: 8080, hostPort: 22, allowPrivilegedPort: true }, networks: { frontend: 'yes', backend: 'off' }, redis: { volume: 'on', persistence: 'none' } }],
];

interface Rendered {
  model: StackModel;
  files: RenderedFile[];
  byPath: Map<string, string>;
  compose: Obj;
  secretValues: string[];
}

function render(values: Record<string, unknown>, sampleApp = true): Rendered {
  const spec = resolveSpec([{ source: 'test', values }], { dirName: 'demo' });
  const model = deriveModel(spec, { sampleApp });
  const files = renderAppFiles(model);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  // Fresh random secrets, as a first run makes them.
  const secrets = planSecrets(model.secrets, () => undefined);
  const secretValues = secrets.flatMap((s) => {
    const text = s.content.trim();
    // The ACL line: the hash too must stay out of the config files.
    const hash = /#([0-9a-f]{64})/.exec(text)?.[1];
    return hash ? [hash] : [text];
  });
  return { model, files, byPath, compose: parseYaml(byPath.get('docker-compose.yml')!) as Obj, secretValues };
}

const get = (r: Rendered, path: string): string => {
  const text = r.byPath.get(path);
  expect(text, `${path} is rendered`).toBeDefined();
  return text!;
};

/** Joins continuation lines ("\" at the end) into logical Dockerfile lines, dropping comments. */
function logicalLines(dockerfile: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of dockerfile.split('\n')) {
    if (current === '' && /^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) out.push(current.trim().replace(/\s+/g, ' '));
    current = '';
  }
  return out;
}

describe.each(VARIANTS)('%s', (_label, values) => {
  const r = render(values);
  const { model } = r;
  const composeText = get(r, 'docker-compose.yml');
  const dockerfile = get(r, 'Dockerfile');

  describe('docker-compose.yml', () => {
    it('means the same under YAML 1.2 (core) and YAML 1.1', () => {
      const v12 = parseYaml(composeText, { version: '1.2', schema: 'core' }) as unknown;
      const v11 = parseYaml(composeText, { version: '1.1' }) as unknown;
      expect(v11).toEqual(v12);
      // And what it means is exactly the object the renderer built.
      expect(v12).toEqual(JSON.parse(JSON.stringify(composeObject(model))));
    });

    it('keeps ports, names and other look-alikes as strings', () => {
      const app = r.compose['services']['app'];
      expect(app['ports']).toEqual([model.app.publish]);
      expect(typeof app['ports'][0]).toBe('string');
      expect(typeof app['environment']['PORT']).toBe('string');
      expect(r.compose['name']).toBe(model.projectName);
      expect(typeof r.compose['name']).toBe('string');
    });

    it('publishes only the app, on the bind address', () => {
      const services = r.compose['services'] as Obj;
      const bind = model.app.bind.includes(':') ? `[${model.app.bind}]` : model.app.bind;
      expect(services['app']['ports']).toEqual([`${bind}:${model.app.hostPort}:${model.app.port}`]);
      for (const [name, service] of Object.entries(services)) {
        if (name !== 'app') {
          expect(service).not.toHaveProperty('ports');
          expect(service).not.toHaveProperty('expose');
        }
      }
    });

    it('puts the app on both networks, everything else only on the internal backend', () => {
      const { frontend, backend } = model.networks;
      expect(r.compose['networks']).toEqual({ [frontend]: {}, [backend]: { internal: true } });
      const services = r.compose['services'] as Obj;
      expect(services['app']['networks']).toEqual([frontend, backend]);
      expect(services['redis']['networks']).toEqual([backend]);
      if (model.database) expect(services['db']['networks']).toEqual([backend]);
      expect(Object.keys(services).sort()).toEqual(model.database ? ['app', 'db', 'redis'] : ['app', 'redis']);
    });

    it('starts Redis as redis-server with the ACL file, not a password on the command line', () => {
      const redis = r.compose['services']['redis'];
      expect(redis['command'][0]).toBe('redis-server');
      expect(redis['command'].join(' ')).toContain('--aclfile /run/secrets/redis_acl');
      expect(redis['command']).not.toContain('--requirepass');
      expect(redis['user']).not.toMatch(/^(0|root)(:|$)/);
      expect(redis['volumes']).toEqual([`${model.redis.volume}:/data`]);
    });

    it('waits for healthy dependencies', () => {
      const dependsOn = r.compose['services']['app']['depends_on'] as Obj;
      expect(Object.keys(dependsOn).sort()).toEqual(model.database ? ['db', 'redis'] : ['redis']);
      for (const dep of Object.values(dependsOn)) expect(dep).toEqual({ condition: 'service_healthy' });
      for (const name of Object.keys(dependsOn)) expect(r.compose['services'][name]).toHaveProperty('healthcheck');
    });

    it('passes secrets as files, never as values', () => {
      const services = r.compose['services'] as Obj;
      for (const service of Object.values(services) as Obj[]) {
        for (const [key, value] of Object.entries((service['environment'] ?? {}) as Record<string, string>)) {
          if (/PASSWORD|SECRET|TOKEN|_KEY/.test(key)) {
            expect(key, `${key} is a *_FILE variable`).toMatch(/_FILE$/);
            expect(value).toMatch(/^\/run\/secrets\/[a-z_]+$/);
          }
          if (/URL$/.test(key)) expect(value, `${key} has no password`).not.toMatch(/:\/\/[^/@]*:[^/@]*@/);
        }
      }
      for (const secret of model.secrets) {
        expect(r.compose['secrets'][secret.name]).toEqual({ file: `./${secret.file}` });
      }
    });

    it('uses the pinned images', () => {
      expect(r.compose['services']['redis']['image']).toBe(model.spec.redis.image);
      if (model.database) {
        expect(r.compose['services']['db']['image']).toBe(model.spec.database.image ?? DEFAULT_DATABASE_IMAGES[model.database.kind]);
      }
      for (const service of Object.values(r.compose['services']) as Obj[]) {
        if (!service['image']) continue;
        const parsed = parseImageReference(service['image']);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(pinProblem(parsed.ref)).toBeUndefined();
      }
    });
  });

  it('holds no secret value in any rendered file', () => {
    expect(r.secretValues.length).toBeGreaterThanOrEqual(2);
    for (const file of r.files) {
      for (const value of r.secretValues) expect(file.content, `${file.path} holds a secret`).not.toContain(value);
    }
  });

  describe('Dockerfile', () => {
    const lines = logicalLines(dockerfile);

    it('builds FROM the pinned base image, named literally (Dependabot and Renovate read no ARG)', () => {
      expect(lines.some((l) => l.startsWith('ARG '))).toBe(false);
      const firstFrom = lines.findIndex((l) => l.startsWith('FROM '));
      expect(lines[firstFrom]).toBe(`FROM ${model.spec.app.baseImage} AS base`);
      const parsed = parseImageReference(model.spec.app.baseImage);
      expect(parsed.ok && pinProblem(parsed.ref)).toBeUndefined();
      // Every other stage builds on an earlier stage, never on another registry image.
      const stages = lines.filter((l) => l.startsWith('FROM ')).map((l) => /^FROM (\S+) AS (\S+)$/.exec(l));
      const names: string[] = [];
      for (const stage of stages) {
        expect(stage).not.toBeNull();
        if (names.length > 0) expect(names).toContain(stage![1]);
        names.push(stage![2]!);
      }
      expect(names[names.length - 1]).toBe('runtime');
      expect(names.includes('build')).toBe(model.app.buildScript !== undefined);
    });

    it('runs as a user other than root', () => {
      const users = lines.filter((l) => l.startsWith('USER '));
      expect(users).toHaveLength(1);
      const user = users[0]!.slice(5);
      expect(user).not.toMatch(/^(root|0)(:|$)/);
      expect(user).toBe(model.app.user);
    });

    it('uses exec form (JSON arrays) for CMD and HEALTHCHECK', () => {
      const cmd = lines.filter((l) => l.startsWith('CMD '));
      expect(cmd).toHaveLength(1);
      expect(JSON.parse(cmd[0]!.slice(4))).toEqual(model.spec.app.command);
      const health = lines.filter((l) => l.startsWith('HEALTHCHECK '));
      expect(health).toHaveLength(1);
      const test = /\sCMD (\[.*\])$/.exec(health[0]!);
      expect(test).not.toBeNull();
      const probe = JSON.parse(test![1]!) as string[];
      expect(probe.slice(0, 2)).toEqual(['node', '-e']);
      expect(probe[2]).toContain(`http://127.0.0.1:${model.app.port}${model.spec.app.healthPath}`);
    });

    it('has no "# syntax=" line and no remote ADD', () => {
      expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
      expect(dockerfile).not.toMatch(/^\s*ADD\s+(--\S+\s+)*https?:/im);
      expect(dockerfile).not.toMatch(/^\s*ADD\s/im);
    });

    it('parses with dockerfile-ast: known instructions, no directives, the same stages', () => {
      const ast = DockerfileParser.parse(dockerfile);
      expect(ast.getDirectives()).toEqual([]);
      const known = new Set<string>(Object.values(Keyword));
      const instructions = ast.getInstructions();
      expect(instructions.length).toBeGreaterThan(5);
      for (const instruction of instructions) {
        expect(known, `unknown instruction ${instruction.getKeyword()}`).toContain(instruction.getKeyword());
        expect(instruction.getArguments().length, `${instruction.getKeyword()} has arguments`).toBeGreaterThan(0);
      }
      expect(ast.getARGs()).toEqual([]);
      const froms = ast.getFROMs();
      expect(froms[0]?.getImage()).toBe(model.spec.app.baseImage);
      // pnpm and yarn get a toolchain stage (the package manager in a layer of its own).
      const expected = ['base', ...(model.app.install.setup ? ['toolchain'] : []), 'deps', ...(model.app.buildScript ? ['build'] : []), 'runtime'];
      expect(froms.map((f) => f.getBuildStage())).toEqual(expected);
      const cmds = ast.getCMDs();
      expect(cmds).toHaveLength(1);
      expect(cmds[0]!.getJSONStrings().map((s) => s.getJSONValue())).toEqual(model.spec.app.command);
      expect(ast.getHEALTHCHECKs()).toHaveLength(1);
      expect(ast.getHEALTHCHECKs()[0]!.getSubcommand()?.getValue()).toBe('CMD');
    });

    it('installs with the package manager from its lockfile', () => {
      const { install } = model.app;
      expect(dockerfile).toContain(`--mount=type=bind,source=${install.lockfile},target=${install.lockfile}`);
      expect(dockerfile).toContain(install.installProd);
      if (install.setup) expect(dockerfile).toContain(install.setup);
      // Every watch rule rebuilds (a read-only root file system takes no synced files): the
      // whole folder, and the manifests named explicitly.
      const watch = r.compose['services']['app']['develop']['watch'] as Obj[];
      expect(watch.every((w) => w['action'] === 'rebuild')).toBe(true);
      expect(watch.map((w) => w['path'])).toEqual(['.', ...install.manifests]);
      if (model.app.buildScript) {
        expect(lines).toContain(`RUN ${install.runScript} ${model.app.buildScript} && rm -rf node_modules`);
        expect(lines).toContain('COPY --from=build /app .');
      }
    });
  });

  it('renders the same bytes from the same spec', () => {
    const again = render(values);
    expect(again.files).toEqual(r.files);
    expect(renderCompose(deriveModel(model.spec, { sampleApp: true }))).toBe(composeText);
  });
});

describe('variant specifics', () => {
  it('publishes an IPv6 address in brackets and 0.0.0.0 as given', () => {
    expect(render({ app: { bind: '::1' } }).compose['services']['app']['ports']).toEqual(['[::1]:3000:3000']);
    expect(render({ app: { bind: '0.0.0.0', hostPort: 8080 } }).compose['services']['app']['ports']).toEqual(['0.0.0.0:8080:3000']);
    expect(render({}).compose['services']['app']['ports']).toEqual(['127.0.0.1:3000:3000']);
  });

  it('keeps YAML 1.1 look-alikes as strings (a 1.1 reader would read 22:22 as a number and no as false)', () => {
    const r = render({ projectName: 'no', app: { port: 22, hostPort: 22, allowPrivilegedPort: true }, networks: { frontend: 'yes', backend: 'off' } });
    const v11 = parseYaml(get(r, 'docker-compose.yml'), { version: '1.1' }) as Obj;
    expect(v11['name']).toBe('no');
    expect(v11['services']['app']['ports']).toEqual(['127.0.0.1:22:22']);
    expect(v11['services']['app']['networks']).toEqual(['yes', 'off']);
    expect(Object.keys(v11['networks'])).toEqual(['yes', 'off']);
  });

  it('writes the Korean README for lang ko, and the same compose file and Dockerfile as for en', () => {
    const en = render({});
    const ko = render({ lang: 'ko' });
    expect(get(ko, 'README.Docker.md')).toMatch(/[\uAC00-\uD7A3]/);
    expect(get(en, 'README.Docker.md')).not.toMatch(/[\uAC00-\uD7A3]/);
    expect(get(ko, 'docker-compose.yml')).toBe(get(en, 'docker-compose.yml'));
    expect(get(ko, 'Dockerfile')).toBe(get(en, 'Dockerfile'));
  });

  it('gives each database an app user\'s and an administrator\'s password file; the app never gets the administrator\'s', () => {
    const env = (values: Record<string, unknown>) => render(values).compose['services']['db']['environment'] as Record<string, string>;
    // PostgreSQL: the superuser is postgres (administration only); the app's own role is made by db/init/00-app-user.sh.
    expect(env({ database: { kind: 'postgres' } })).toEqual({
      POSTGRES_DB: 'app',
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD_FILE: '/run/secrets/db_admin_password',
      APP_DB_USER: 'app',
      APP_DB_PASSWORD_FILE: '/run/secrets/db_password',
    });
    expect(render({ database: { kind: 'postgres' } }).compose['services']['app']['secrets']).not.toContain('db_admin_password');
    expect(env({ database: { kind: 'mysql' } })).toMatchObject({ MYSQL_PASSWORD_FILE: '/run/secrets/db_password', MYSQL_ROOT_PASSWORD_FILE: '/run/secrets/db_root_password' });
    expect(env({ database: { kind: 'mariadb' } })).toMatchObject({ MARIADB_PASSWORD_FILE: '/run/secrets/db_password', MARIADB_ROOT_PASSWORD_FILE: '/run/secrets/db_root_password' });
    const volumes = render({ database: { kind: 'mariadb', volume: 'maria' } }).compose['volumes'];
    expect(volumes).toEqual({ 'redis-data': {}, maria: {} });
  });

  it('renders the sample app only when asked, and nothing else changes', () => {
    const withSample = render({}, true);
    const without = render({}, false);
    const starters = withSample.files.filter((f) => f.kind === 'starter').map((f) => f.path);
    expect(starters.sort()).toEqual(['package-lock.json', 'package.json', 'server.js']);
    expect(without.files.filter((f) => f.kind === 'starter')).toEqual([]);
    // The README tells about the sample app only when there is one; the rest is identical.
    const notAbout = (files: RenderedFile[]) => files.filter((f) => f.kind !== 'starter' && f.path !== 'README.Docker.md');
    expect(notAbout(without.files)).toEqual(notAbout(withSample.files));
    expect(get(withSample, 'README.Docker.md')).toContain('server.js');
    expect(JSON.parse(get(withSample, 'package.json'))).toBeTypeOf('object');
  });

  it('lists files sorted by path, each path once', () => {
    const paths = render({ database: { kind: 'postgres' } }).files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths).size).toBe(paths.length);
  });
});
