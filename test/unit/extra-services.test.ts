// spec.extraServices: more services next to the app and Redis (workers, mail catchers,
// search engines). Each is a pinned image on the internal backend network only, never
// published, hardened like the others; names follow the resource-name rule and never
// take the generated services' names.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { InputError, type Problem } from '../../core/errors.ts';
import { deriveModel } from '../../core/model.ts';
import { composeObject, renderCompose } from '../../core/render/compose.ts';
import { resolveSpec } from '../../core/spec.ts';
import { RESERVED_SERVICE_NAMES } from '../../schema/stack.ts';

type Obj = Record<string, any>;

const resolve = (values: Record<string, unknown>) => resolveSpec([{ source: 'answers.yaml', values }], { dirName: 'demo' });

function problemsOf(values: Record<string, unknown>): Problem[] {
  try {
    resolve(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error(`expected ${JSON.stringify(values)} to be rejected`);
}

function compose(values: Record<string, unknown>): { object: Obj; text: string; yaml11: Obj; yaml12: Obj } {
  const model = deriveModel(resolve(values), { sampleApp: true });
  const text = renderCompose(model);
  return {
    object: composeObject(model) as Obj,
    text,
    yaml11: parseYaml(text, { version: '1.1' }) as Obj,
    yaml12: parseYaml(text, { version: '1.2' }) as Obj,
  };
}

const MAILPIT = { name: 'mail', image: 'axllent/mailpit:v1.21', port: 1025 };

describe('extraServices: the default', () => {
  it('is an empty list, and the stack keeps exactly its own services', () => {
    expect(resolve({}).extraServices).toEqual([]);
    expect(Object.keys(compose({}).yaml12.services).sort()).toEqual(['app', 'redis']);
  });
});

describe('extraServices: a health check and a volume', () => {
  it('renders the health check ("$" literal) and the app waits until it is healthy; the volume is named and mounted', () => {
    const worker = {
      name: 'worker',
      image: 'ghcr.io/acme/worker:1.4.2',
      healthcheck: ['CMD-SHELL', 'test -f /tmp/ready && echo $HOME'],
      volume: { name: 'worker-data', target: '/var/lib/worker' },
      hardening: { user: '1000:1000' },
    };
    const { yaml12 } = compose({ extraServices: [worker] });
    const service = yaml12.services.worker;
    expect(service.healthcheck.test).toEqual(['CMD-SHELL', 'test -f /tmp/ready && echo $$HOME']);
    expect(yaml12.services.app.depends_on.worker).toEqual({ condition: 'service_healthy' });
    expect(service.volumes).toEqual(['worker-data:/var/lib/worker']);
    expect(yaml12.volumes).toHaveProperty('worker-data');
  });

  it('without a health check the app does not wait for it (as before)', () => {
    expect(compose({ extraServices: [MAILPIT] }).yaml12.services.app.depends_on.mail).toBeUndefined();
  });
});

describe('extraServices: rendering', () => {
  const full = {
    name: 'worker',
    image: 'ghcr.io/acme/worker:1.4.2',
    command: ['worker', '--queue', 'mail', '--price=$5'],
    environment: { QUEUE: 'mail', GREETING: 'costs $HOME ${X}', EMPTY: '' },
    port: 8080,
  };

  it('places each service on the backend network only, unpublished, hardened like the database', () => {
    const { yaml12, object } = compose({ extraServices: [full, MAILPIT] });
    const worker = yaml12.services.worker;
    const backend = yaml12.networks.backend;
    expect(worker.image).toBe('ghcr.io/acme/worker:1.4.2');
    expect(worker.networks).toEqual(['backend']);
    expect(backend.internal).toBe(true);
    expect(worker.ports).toBeUndefined();
    expect(worker.expose).toEqual(['8080']);
    expect(worker.restart).toBe('unless-stopped');
    expect(worker.security_opt).toEqual(['no-new-privileges:true']);
    expect(worker.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    // No secrets, volumes or build: the generated secrets stay with the services that use them.
    expect(worker.secrets).toBeUndefined();
    expect(worker.volumes).toBeUndefined();
    expect(worker.build).toBeUndefined();
    expect(yaml12.services.mail).toMatchObject({ image: 'axllent/mailpit:v1.21', expose: ['1025'], networks: ['backend'] });
    expect(yaml12.services.mail.command).toBeUndefined();
    expect(yaml12.services.mail.environment).toBeUndefined();
    // The app is published as before, and nothing else is.
    const published = Object.entries(yaml12.services as Obj).filter(([, s]) => (s as Obj).ports);
    expect(published.map(([name]) => name)).toEqual(['app']);
    expect(object.services.worker).toEqual(yaml12.services.worker);
  });

  it('hardens each service by default: nobody, read-only root with a tmpfs /tmp, no capabilities, memory and process limits', () => {
    const { yaml12 } = compose({ extraServices: [full] });
    expect(yaml12.services.worker).toMatchObject({
      user: '65534:65534',
      read_only: true,
      tmpfs: ['/tmp'],
      cap_drop: ['ALL'],
      mem_limit: '256m',
      pids_limit: 128,
    });
    expect(yaml12.services.worker.cap_add).toBeUndefined();
  });

  it('loosens only what a service opts out of, explicitly', () => {
    const hardening = { user: 'image', readOnly: false, capAdd: ['CHOWN', 'SETUID', 'SETGID'], memLimit: '1g', pidsLimit: 512 };
    const { yaml12 } = compose({ extraServices: [{ ...full, hardening }] });
    const worker = yaml12.services.worker;
    expect(worker.user).toBeUndefined();
    expect(worker.read_only).toBeUndefined();
    expect(worker.tmpfs).toBeUndefined();
    expect(worker.cap_drop).toEqual(['ALL']);
    expect(worker.cap_add).toEqual(['CHOWN', 'SETUID', 'SETGID']);
    expect(worker).toMatchObject({ mem_limit: '1g', pids_limit: 512, security_opt: ['no-new-privileges:true'] });
    expect(compose({ extraServices: [{ ...full, hardening: { user: '1000:1000' } }] }).yaml12.services.worker.user).toBe('1000:1000');
  });

  it.each([
    [{ user: 'root;x' }, 'extraServices.0.hardening.user', /"uid:gid"/],
    [{ capAdd: ['SYS_ADMIN'] }, 'extraServices.0.hardening.capAdd.0', /one of AUDIT_WRITE/],
    [{ memLimit: '1 GB' }, 'extraServices.0.hardening.memLimit', /followed by k, m or g/],
    [{ pidsLimit: 0 }, 'extraServices.0.hardening.pidsLimit', /from 16 to 65536/],
    [{ privileged: true }, 'extraServices.0.hardening.privileged', /unknown key/],
  ])('refuses hardening %j, naming the field and the rule', (hardening, field, rule) => {
    const problems = problemsOf({ extraServices: [{ ...MAILPIT, hardening }] });
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(problems[0]!.rule).toMatch(rule);
  });

  it('keeps "$" literal: Compose reads "$$" as "$" instead of interpolating a variable', () => {
    const { yaml12 } = compose({ extraServices: [full] });
    expect(yaml12.services.worker.command).toEqual(['worker', '--queue', 'mail', '--price=$$5']);
    expect(yaml12.services.worker.environment).toEqual({ QUEUE: 'mail', GREETING: 'costs $$HOME $${X}', EMPTY: '' });
  });

  it('keeps the order given, after the generated services', () => {
    const names = ['zeta', 'alpha', 'mid'];
    const { yaml12 } = compose({ extraServices: names.map((name) => ({ name, image: 'busybox:1.37' })) });
    expect(Object.keys(yaml12.services)).toEqual(['app', 'redis', ...names]);
  });

  it('goes after the database when there is one, and never shares its name', () => {
    const { yaml12 } = compose({ database: { kind: 'postgres' }, extraServices: [MAILPIT] });
    expect(Object.keys(yaml12.services)).toEqual(['app', 'redis', 'db', 'mail']);
  });

  it('quotes a name that YAML 1.1 would read as a boolean or a number, so it reads back as the same string', () => {
    const names = ['yes', 'on', 'no', '123', '0x1f', '2001-12-14', 'n'];
    const { yaml11, yaml12, text } = compose({ extraServices: names.map((name) => ({ name, image: 'busybox:1.37' })) });
    for (const name of names) {
      expect(Object.keys(yaml11.services), name).toContain(name);
      expect(Object.keys(yaml12.services), name).toContain(name);
      expect(text, name).toContain(`"${name}":`);
    }
    // Names no reader could mistake stay plain.
    expect(compose({ extraServices: [MAILPIT] }).text).toMatch(/^ {2}mail:$/m);
  });

  it('renders 500 services, each once, all on the backend network', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ name: `svc-${i}`, image: 'busybox:1.37', port: 1024 + i }));
    const { yaml12 } = compose({ extraServices: many });
    const services = yaml12.services as Obj;
    expect(Object.keys(services)).toHaveLength(502);
    expect(services['svc-499']).toMatchObject({ image: 'busybox:1.37', expose: ['1523'], networks: ['backend'] });
    expect(Object.values(services).filter((s) => (s as Obj).ports)).toHaveLength(1);
  });
});

describe('extraServices: validation', () => {
  const field = (problems: Problem[]) => problems.map((p) => p.field);

  it.each(RESERVED_SERVICE_NAMES.map((name) => [name]))('rejects the generated service name %s', (name) => {
    const problems = problemsOf({ extraServices: [{ name, image: 'busybox:1.37' }] });
    expect(field(problems)).toEqual(['extraServices.0.name']);
    expect(problems[0]!.rule).toMatch(/must not be one of app, redis, db/);
    expect(problems[0]!.value).toBe(name);
    expect(problems[0]!.source).toBe('answers.yaml');
  });

  it('rejects a name used twice, naming the second one', () => {
    const problems = problemsOf({ extraServices: [MAILPIT, { name: 'worker', image: 'busybox:1.37' }, { ...MAILPIT }] });
    expect(field(problems)).toEqual(['extraServices.2.name']);
    expect(problems[0]!.rule).toMatch(/unique/);
  });

  it.each([
    ['upper case', 'Mail'],
    ['a dot', 'mail.catcher'],
    ['a leading dash', '-mail'],
    ['empty', ''],
    ['64 characters', 'a'.repeat(64)],
  ])('rejects a name with %s', (_what, name) => {
    expect(field(problemsOf({ extraServices: [{ name, image: 'busybox:1.37' }] }))).toEqual(['extraServices.0.name']);
  });

  it.each([
    ['no tag', 'busybox', /has no tag/],
    ['the latest tag', 'busybox:latest', /moving tag "latest"/],
    ['an invalid reference', 'Busy Box:1', /not a valid image reference/],
  ])('rejects an image with %s (the PinnedImage rule)', (_what, image, rule) => {
    const problems = problemsOf({ extraServices: [{ name: 'worker', image }] });
    expect(field(problems)).toEqual(['extraServices.0.image']);
    expect(problems[0]!.rule).toMatch(rule);
  });

  it('accepts an image pinned by digest', () => {
    const image = `busybox@sha256:${'a'.repeat(64)}`;
    expect(resolve({ extraServices: [{ name: 'worker', image }] }).extraServices[0]!.image).toBe(image);
  });

  it('requires a name and an image', () => {
    expect(field(problemsOf({ extraServices: [{ image: 'busybox:1.37' }] }))).toEqual(['extraServices.0.name']);
    expect(field(problemsOf({ extraServices: [{ name: 'worker' }] }))).toEqual(['extraServices.0.image']);
  });

  it.each([
    ['a command that is a string', { command: 'worker --queue mail' }, 'extraServices.0.command'],
    ['an empty command', { command: [] }, 'extraServices.0.command'],
    ['a command argument with a newline', { command: ['a\nb'] }, 'extraServices.0.command.0'],
    ['an environment name starting with a digit', { environment: { '1X': 'a' } }, 'extraServices.0.environment.1X'],
    ['an environment value that is a number', { environment: { X: 1 } }, 'extraServices.0.environment.X'],
    ['a port above 65535', { port: 70000 }, 'extraServices.0.port'],
    ['a port that is not whole', { port: 80.5 }, 'extraServices.0.port'],
    ['an unknown key', { ports: ['8080:8080'] }, 'extraServices.0.ports'],
  ])('rejects %s', (_what, extra, path) => {
    expect(field(problemsOf({ extraServices: [{ name: 'worker', image: 'busybox:1.37', ...extra }] }))).toEqual([path]);
  });

  it.each([
    ['a health check not in Compose\'s test form', { healthcheck: ['wget', '-q', 'http://x'] }, 'extraServices.0.healthcheck'],
    ['a CMD-SHELL health check of two commands', { healthcheck: ['CMD-SHELL', 'a', 'b'] }, 'extraServices.0.healthcheck'],
    ['a volume without a target', { volume: { name: 'data' } }, 'extraServices.0.volume.target'],
    ['a relative volume target', { volume: { name: 'data', target: 'data' } }, 'extraServices.0.volume.target'],
    ['a volume target with ":"', { volume: { name: 'data', target: '/data:ro' } }, 'extraServices.0.volume.target'],
  ])('rejects %s', (_what, extra, path) => {
    expect(field(problemsOf({ extraServices: [{ name: 'worker', image: 'busybox:1.37', ...extra }] }))).toEqual([path]);
  });

  it('rejects a list that is not a list', () => {
    expect(field(problemsOf({ extraServices: { worker: { image: 'busybox:1.37' } } }))).toEqual(['extraServices']);
  });

  it('reports every problem in one run: a bad image next to a duplicate and a reserved name', () => {
    const problems = problemsOf({
      extraServices: [MAILPIT, { name: 'mail', image: 'busybox' }, { name: 'redis', image: 'busybox:1.37' }],
    });
    expect(field(problems).sort()).toEqual(['extraServices.1.image', 'extraServices.1.name', 'extraServices.2.name']);
  });
});
