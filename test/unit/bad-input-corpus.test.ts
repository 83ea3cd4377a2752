// A corpus of bad inputs, table-driven: every row runs the built bin non-interactively and
// asserts the exit code, that one line of the message names the field (or flag, or file)
// and the rule it breaks, and that the target directory is byte-identical afterwards (for a
// new destination: that the folder it runs in is, and the destination was not made).
//
// Scenes: `fresh` runs `wpsn-docker out --yes ...` in an empty folder (plus the row's
// files); `project` runs `wpsn-docker --yes ...` inside a copy of a generated project.
//
// Decisions this corpus pins down (README.md, "Exit codes and errors"):
// - contradicting flags: "none" with targets (--registry none,ecr), a per-target setting
//   whose target the same --registry/--deploy list leaves out, a setting for every
//   registry with --registry none; a database image of another kind (postgres:17 for
//   mysql). A database.image kept while --database none is NOT a contradiction (stored
//   for later), nor is --dry-run with --yes or --force.
// - duplicate ports: the app's container port 6379 with the ecs deploy target (its Redis
//   sidecar shares the task's network namespace); duplicate keys in an answers file.
// - destinations: a file; a path under a file; a path that cannot be created (/proc);
//   an existing folder that cannot be written (chattr +i: root ignores modes, not that);
//   a destination that is itself a symbolic link; a ".." that follows a symbolic link;
//   a symbolic link (or a folder) where the generator keeps a file; a .yo-rc.json that
//   records a path outside the project.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWERS_MAX_BYTES } from '../../core/answers-file.ts';
import { BIN, cleanEnv, ensureBuilt, snapshotTree, type TreeEntry } from './helpers/cli.ts';

type Scene = 'fresh' | 'project';

interface Row {
  /** What is wrong, as the row's name. */
  name: string;
  group: string;
  scene: Scene;
  /** Arguments after `out --yes` (fresh) or `--yes` (project). */
  args: string[];
  /** Files to add to the scene first (relative path -> content). */
  files?: Record<string, string | Buffer>;
  /** Anything else the scene needs (symbolic links, attributes); gets the scene's folder. */
  setup?: (root: string) => void;
  /** Replaces the destination argument of a fresh scene (default "out"). */
  destination?: (root: string) => string;
  /** Expected exit code (2: invalid input or usage). */
  code?: number;
  /** What the message line names: a field path, flag, or file. */
  field: string;
  /** The rule, on the same line. */
  rule: RegExp;
}

const yaml = (text: string) => text;
const json = (value: unknown) => JSON.stringify(value, null, 2);
const long = (n: number, c = 'a') => c.repeat(n);

/** A pristine generated project, copied for every `project` row. */
let pristine = '';
const work: string[] = [];
/** Folders made immutable (chattr +i) by a row: made mutable again, whatever happens. */
const immutable: string[] = [];

function yoRcWith(edit: (doc: Record<string, any>) => void): (root: string) => void {
  return (root) => {
    const path = join(root, '.yo-rc.json');
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
    edit(doc);
    writeFileSync(path, JSON.stringify(doc, null, 2));
  };
}

const extra = (service: Record<string, unknown>) => json({ extraServices: [{ image: 'busybox:1.36', ...service }] });

const ROWS: Row[] = [
  // --- project names
  { group: 'project name', name: 'uppercase', scene: 'fresh', args: ['--project-name', 'MyApp'], field: 'projectName', rule: /must match \^\[a-z0-9\]\[a-z0-9_-\]\*\$/ },
  { group: 'project name', name: 'dots', scene: 'fresh', args: ['--project-name', 'my.app'], field: 'projectName', rule: /must match/ },
  { group: 'project name', name: 'unicode', scene: 'fresh', args: ['--project-name', 'café'], field: 'projectName', rule: /must match/ },
  { group: 'project name', name: 'leading dash', scene: 'fresh', args: ['--project-name=-app'], field: 'projectName', rule: /starting with a letter or digit/ },
  { group: 'project name', name: 'too long (64)', scene: 'fresh', args: ['--project-name', long(64)], field: 'projectName', rule: /at most 63 characters/ },
  { group: 'project name', name: 'empty', scene: 'fresh', args: ['--project-name', ''], field: 'projectName', rule: /must not be empty/ },
  { group: 'project name', name: 'space', scene: 'fresh', args: ['--project-name', 'my app'], field: 'projectName', rule: /must match/ },
  { group: 'project name', name: 'a directory name with nothing usable', scene: 'fresh', args: [], destination: () => '한글', field: 'projectName', rule: /no project name can be derived/ },
  // --- service names (extra services)
  { group: 'service name', name: 'uppercase', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'Worker' }) }, field: 'extraServices.0.name', rule: /lowercase letters, digits/ },
  { group: 'service name', name: 'dots', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'mail.catcher' }) }, field: 'extraServices.0.name', rule: /lowercase letters, digits/ },
  { group: 'service name', name: 'unicode', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'wörker' }) }, field: 'extraServices.0.name', rule: /lowercase letters, digits/ },
  { group: 'service name', name: 'leading dash', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: '-worker' }) }, field: 'extraServices.0.name', rule: /starting with a letter or digit/ },
  { group: 'service name', name: 'reserved (redis)', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'redis' }) }, field: 'extraServices.0.name', rule: /must not be one of app, redis, db/ },
  { group: 'service name', name: 'reserved (app)', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'app' }) }, field: 'extraServices.0.name', rule: /must not be one of app, redis, db/ },
  { group: 'service name', name: 'too long (64)', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: long(64, 'w') }) }, field: 'extraServices.0.name', rule: /at most 63 characters/ },
  {
    group: 'service name',
    name: 'duplicate',
    scene: 'fresh',
    args: ['--answers', 'a.json'],
    files: { 'a.json': json({ extraServices: [{ name: 'w', image: 'busybox:1.36' }, { name: 'w', image: 'busybox:1.36' }] }) },
    field: 'extraServices.1.name',
    rule: /must be unique/,
  },
  // --- volume names
  { group: 'volume name', name: 'uppercase', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('redis:\n  volume: Data\n') }, field: 'redis.volume', rule: /lowercase letters, digits/ },
  { group: 'volume name', name: 'dots', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('redis:\n  volume: redis.data\n') }, field: 'redis.volume', rule: /lowercase letters, digits/ },
  { group: 'volume name', name: 'unicode', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('database:\n  kind: postgres\n  volume: dätä\n') }, field: 'database.volume', rule: /lowercase letters, digits/ },
  { group: 'volume name', name: 'leading dash', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('redis:\n  volume: -data\n') }, field: 'redis.volume', rule: /starting with a letter or digit/ },
  { group: 'volume name', name: 'too long (64)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml(`redis:\n  volume: ${long(64, 'v')}\n`) }, field: 'redis.volume', rule: /at most 63 characters/ },
  {
    group: 'volume name',
    name: 'the database volume is the Redis volume',
    scene: 'fresh',
    args: ['--answers', 'a.yaml', '--database', 'postgres'],
    files: { 'a.yaml': yaml('redis:\n  volume: data\ndatabase:\n  volume: data\n') },
    field: 'database.volume',
    rule: /must differ from the Redis volume/,
  },
  // --- network names
  { group: 'network name', name: 'uppercase', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  frontend: Front\n') }, field: 'networks.frontend', rule: /lowercase letters, digits/ },
  { group: 'network name', name: 'dots', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  backend: back.net\n') }, field: 'networks.backend', rule: /lowercase letters, digits/ },
  { group: 'network name', name: 'unicode', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  frontend: 앞\n') }, field: 'networks.frontend', rule: /lowercase letters, digits/ },
  { group: 'network name', name: 'leading dash', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  backend: -back\n') }, field: 'networks.backend', rule: /starting with a letter or digit/ },
  { group: 'network name', name: 'reserved (host)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  frontend: host\n') }, field: 'networks.frontend', rule: /reserved names default, host, none, bridge, ingress/ },
  { group: 'network name', name: 'reserved (default)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  backend: default\n') }, field: 'networks.backend', rule: /reserved names/ },
  { group: 'network name', name: 'too long (64)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml(`networks:\n  frontend: ${long(64, 'n')}\n`) }, field: 'networks.frontend', rule: /at most 63 characters/ },
  { group: 'network name', name: 'frontend = backend', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('networks:\n  frontend: net\n  backend: net\n') }, field: 'networks.backend', rule: /must differ from the frontend network/ },
  // --- ports
  { group: 'port', name: '0', scene: 'fresh', args: ['--port', '0'], field: 'app.port', rule: /from 1 to 65535/ },
  { group: 'port', name: '65536', scene: 'fresh', args: ['--host-port', '65536'], field: 'app.hostPort', rule: /from 1 to 65535/ },
  { group: 'port', name: 'non-numeric', scene: 'fresh', args: ['--port', 'http'], field: 'app.port', rule: /whole number/ },
  { group: 'port', name: 'fractional', scene: 'fresh', args: ['--host-port', '80.5'], field: 'app.hostPort', rule: /whole number/ },
  { group: 'port', name: 'negative', scene: 'fresh', args: ['--host-port=-1'], field: 'app.hostPort', rule: /from 1 to 65535/ },
  { group: 'port', name: 'a string in YAML', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('app:\n  port: "3000"\n') }, field: 'app.port', rule: /whole number/ },
  { group: 'port', name: 'privileged host port without opt-in (flag)', scene: 'fresh', args: ['--host-port', '80'], field: 'app.hostPort', rule: /privileged.*--allow-privileged-port/ },
  { group: 'port', name: 'privileged host port without opt-in (file)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('app:\n  hostPort: 443\n  allowPrivilegedPort: false\n') }, field: 'app.hostPort', rule: /privileged/ },
  { group: 'port', name: 'duplicate: the app on 6379 next to the ECS Redis sidecar', scene: 'fresh', args: ['--deploy', 'ecs', '--port', '6379'], field: 'app.port', rule: /must not be 6379 with the ecs deploy target.*same task/ },
  { group: 'port', name: 'duplicate key in the answers file', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': yaml('app:\n  port: 3000\n  port: 3001\n') }, field: '(file)', rule: /not valid YAML.*(unique|duplicate)/i },
  { group: 'port', name: 'an extra service on port 0', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'w', port: 0 }) }, field: 'extraServices.0.port', rule: /from 1 to 65535/ },
  // --- image references
  { group: 'image', name: 'uppercase repository', scene: 'fresh', args: ['--base-image', 'Node:24'], field: 'app.baseImage', rule: /uppercase letters in the repository/ },
  { group: 'image', name: 'no tag', scene: 'fresh', args: ['--redis-image', 'redis'], field: 'redis.image', rule: /no tag: pin it/ },
  { group: 'image', name: 'latest', scene: 'fresh', args: ['--base-image', 'node:latest'], field: 'app.baseImage', rule: /moving tag "latest"/ },
  { group: 'image', name: 'short digest', scene: 'fresh', args: ['--base-image', 'node@sha256:abc'], field: 'app.baseImage', rule: /invalid digest/ },
  { group: 'image', name: 'uppercase sha256 digest', scene: 'fresh', args: ['--base-image', `node@sha256:${long(64, 'A')}`], field: 'app.baseImage', rule: /invalid sha256 digest/ },
  { group: 'image', name: 'non-hex digest', scene: 'fresh', args: ['--redis-image', `redis@sha256:${long(64, 'z')}`], field: 'redis.image', rule: /invalid digest/ },
  { group: 'image', name: 'tag too long (129)', scene: 'fresh', args: ['--base-image', `node:${long(129, '1')}`], field: 'app.baseImage', rule: /invalid tag/ },
  { group: 'image', name: 'space inside', scene: 'fresh', args: ['--base-image', 'node: 24'], field: 'app.baseImage', rule: /white space/ },
  { group: 'image', name: 'trailing space', scene: 'fresh', args: ['--redis-image', 'redis:7 '], field: 'redis.image', rule: /white space/ },
  { group: 'image', name: 'repository name too long (256)', scene: 'fresh', args: ['--base-image', `${long(256, 'n')}:1`], field: 'app.baseImage', rule: /longer than 255 characters/ },
  { group: 'image', name: 'a bad character', scene: 'fresh', args: ['--base-image', 'no!de:24'], field: 'app.baseImage', rule: /invalid repository/ },
  { group: 'image', name: 'an extra service image with a bad registry host', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': extra({ name: 'w', image: 'bad_host:5000/x/y:1' }) }, field: 'extraServices.0.image', rule: /invalid registry host/ },
  // --- registry fields, per cloud
  { group: 'registry', name: 'unknown target', scene: 'fresh', args: ['--registry', 'quay'], field: 'registries.targets.0', rule: /must be one of dockerhub, ecr, gar, acr, ghcr, registry/ },
  { group: 'registry', name: 'Docker Hub namespace with "/"', scene: 'fresh', args: ['--registry', 'dockerhub', '--dockerhub-namespace', 'my/org'], field: 'registries.dockerhub.namespace', rule: /Docker Hub user or organisation name/ },
  { group: 'registry', name: 'Docker Hub image with "/"', scene: 'fresh', args: ['--registry', 'dockerhub', '--registry-image', 'org/app'], field: 'registries.image', rule: /no "\/".*for Docker Hub/ },
  { group: 'registry', name: 'ECR region', scene: 'fresh', args: ['--registry', 'ecr', '--ecr-region', 'Mars'], field: 'registries.ecr.region', rule: /an AWS region, such as eu-west-1/ },
  { group: 'registry', name: 'ECR account ID of 5 digits', scene: 'fresh', args: ['--registry', 'ecr', '--ecr-account-id', '12345'], field: 'registries.ecr.accountId', rule: /12 digits/ },
  { group: 'registry', name: 'ECR image with a double separator', scene: 'fresh', args: ['--registry', 'ecr', '--registry-image', 'my__app'], field: 'registries.image', rule: /ECR repository name.*for Amazon ECR/ },
  { group: 'registry', name: 'Artifact Registry project too short', scene: 'fresh', args: ['--registry', 'gar', '--gar-project', 'ab'], field: 'registries.gar.project', rule: /Google Cloud project ID: 6 to 30/ },
  { group: 'registry', name: 'Artifact Registry location in uppercase', scene: 'fresh', args: ['--registry', 'gar', '--gar-location', 'Europe-West4'], field: 'registries.gar.location', rule: /Artifact Registry location/ },
  { group: 'registry', name: 'Artifact Registry repository with a leading dash', scene: 'fresh', args: ['--registry', 'gar', '--gar-repository=-repo'], field: 'registries.gar.repository', rule: /Artifact Registry repository ID/ },
  { group: 'registry', name: 'ACR name with "-"', scene: 'fresh', args: ['--registry', 'acr', '--acr-name', 'my-acr'], field: 'registries.acr.name', rule: /5 to 50 letters and digits/ },
  { group: 'registry', name: 'Azure resource group ending with "."', scene: 'fresh', args: ['--registry', 'acr', '--acr-resource-group', 'rg.'], field: 'registries.acr.resourceGroup', rule: /not ending with "\."/ },
  { group: 'registry', name: 'GHCR owner with "--"', scene: 'fresh', args: ['--registry', 'ghcr', '--ghcr-owner', 'octo--org'], field: 'registries.ghcr.owner', rule: /single "-" between them/ },
  { group: 'registry', name: 'self-hosted registry host that is a bare word', scene: 'fresh', args: ['--registry', 'registry', '--registry-host', 'registry'], field: 'registries.registry.host', rule: /would read it as a Docker Hub namespace/ },
  { group: 'registry', name: 'self-hosted registry namespace in uppercase', scene: 'fresh', args: ['--registry', 'registry', '--registry-namespace', 'Team'], field: 'registries.registry.namespace', rule: /lowercase letters and digits/ },
  { group: 'registry', name: 'platforms without an architecture', scene: 'fresh', args: ['--registry', 'ghcr', '--platforms', 'linux'], field: 'registries.platforms', rule: /linux\/amd64,linux\/arm64/ },
  { group: 'registry', name: 'publish branch with a leading dash', scene: 'fresh', args: ['--registry', 'ghcr', '--publish-branch=-main'], field: 'registries.branch', rule: /branch name/ },
  // --- deploy fields
  { group: 'deploy', name: 'unknown target', scene: 'fresh', args: ['--deploy', 'heroku'], field: 'deploy.targets.0', rule: /must be one of swarm, kubernetes, ecs, aca/ },
  { group: 'deploy', name: 'unknown Kubernetes flavour', scene: 'fresh', args: ['--deploy', 'kubernetes', '--kubernetes-flavour', 'openshift'], field: 'deploy.kubernetes.flavour', rule: /one of gke, aks, eks, generic/ },
  { group: 'deploy', name: 'Fargate CPU not offered', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': json({ deploy: { targets: ['ecs'], ecs: { cpu: 300 } } }) }, field: 'deploy.ecs.cpu', rule: /one of 256, 512/ },
  { group: 'deploy', name: 'Fargate memory not offered with the CPU', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': json({ deploy: { ecs: { cpu: 256, memory: 4096 } } }) }, field: 'deploy.ecs.memory', rule: /Fargate does not offer 4096 MiB with 256 CPU units/ },
  { group: 'deploy', name: 'Container Apps min replicas above max', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': json({ deploy: { aca: { minReplicas: 5, maxReplicas: 2 } } }) }, field: 'deploy.aca.minReplicas', rule: /must not exceed the maximum/ },
  { group: 'deploy', name: 'Kubernetes storage size in GB', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': json({ deploy: { kubernetes: { storageSize: '1GB' } } }) }, field: 'deploy.kubernetes.storageSize', rule: /Mi, Gi or Ti/ },
  // --- answers files
  { group: 'answers file', name: 'not JSON', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': '{"projectName": ' }, field: '(file)', rule: /--answers a\.json.*is not valid JSON/ },
  { group: 'answers file', name: 'not YAML', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': 'app: [port: 1\n  ]: x: y\n' }, field: '(file)', rule: /--answers a\.yaml.*is not valid YAML/ },
  { group: 'answers file', name: 'a JSON array', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': '[1, 2]' }, field: '(file)', rule: /must hold an object of answers/ },
  { group: 'answers file', name: 'a YAML scalar', scene: 'fresh', args: ['--answers', 'a.yml'], files: { 'a.yml': 'hello\n' }, field: '(file)', rule: /must hold an object of answers/ },
  { group: 'answers file', name: 'empty', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': '' }, field: '(file)', rule: /must hold an object of answers/ },
  { group: 'answers file', name: 'binary garbage', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0x00, 0x80, 0x81]) }, field: '(file)', rule: /is not valid JSON/ },
  { group: 'answers file', name: 'an unknown top-level key', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': json({ projectName: 'shop', colour: 'blue' }) }, field: 'colour', rule: /unknown key: not part of the stack spec/ },
  { group: 'answers file', name: 'an unknown nested key', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': 'app:\n  portt: 3000\n' }, field: 'app.portt', rule: /unknown key/ },
  { group: 'answers file', name: 'a wrong type (object as a string)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': 'database: postgres\n' }, field: 'database', rule: /expected object|must be/i },
  { group: 'answers file', name: 'a wrong type (list as a string)', scene: 'fresh', args: ['--answers', 'a.json'], files: { 'a.json': json({ registries: { targets: 'ecr' } }) }, field: 'registries.targets', rule: /must be a list/ },
  { group: 'answers file', name: 'a wrong type (YAML 1.1 boolean stays a string)', scene: 'fresh', args: ['--answers', 'a.yaml'], files: { 'a.yaml': 'app:\n  allowPrivilegedPort: yes\n' }, field: 'app.allowPrivilegedPort', rule: /true or false/ },
  {
    group: 'answers file',
    name: 'a YAML alias bomb',
    scene: 'fresh',
    args: ['--answers', 'bomb.yaml'],
    files: {
      'bomb.yaml': ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]', ''].join('\n'),
    },
    field: '(file)',
    rule: /not valid YAML.*(alias|resource exhaustion)/i,
  },
  { group: 'answers file', name: 'huge', scene: 'fresh', args: ['--answers', 'big.yaml'], files: { 'big.yaml': `# ${'x'.repeat(ANSWERS_MAX_BYTES)}\nlang: en\n` }, field: '(file)', rule: new RegExp(`limited to ${ANSWERS_MAX_BYTES} bytes`) },
  { group: 'answers file', name: 'a directory', scene: 'fresh', args: ['--answers', 'dir.yaml'], setup: (root) => mkdirSync(join(root, 'dir.yaml')), field: '(file)', rule: /must be a regular file/ },
  { group: 'answers file', name: 'missing', scene: 'fresh', args: ['--answers', 'nope.yaml'], field: '(file)', rule: /nope\.yaml.*cannot be read \(ENOENT\)/ },
  // --- .yo-rc.json corrupted by hand
  { group: '.yo-rc.json', name: 'not JSON', scene: 'project', args: [], files: { '.yo-rc.json': '{"generator-wpsn-docker": {' }, field: '(file)', rule: /\.yo-rc\.json.*is not valid JSON/ },
  { group: '.yo-rc.json', name: 'a JSON array', scene: 'project', args: [], files: { '.yo-rc.json': '[]' }, field: '(root)', rule: /\.yo-rc\.json.*must be a JSON object/ },
  { group: '.yo-rc.json', name: 'the generator entry is a string', scene: 'project', args: [], files: { '.yo-rc.json': json({ 'generator-wpsn-docker': 'yes' }) }, field: 'generator-wpsn-docker', rule: /must be an object/ },
  { group: '.yo-rc.json', name: 'answers is a list', scene: 'project', args: [], setup: yoRcWith((d) => (d['generator-wpsn-docker'].answers = [])), field: 'generator-wpsn-docker.answers', rule: /must be an object of answers/ },
  { group: '.yo-rc.json', name: 'sampleApp is "yes"', scene: 'project', args: [], setup: yoRcWith((d) => (d['generator-wpsn-docker'].sampleApp = 'yes')), field: 'generator-wpsn-docker.sampleApp', rule: /must be true or false/ },
  { group: '.yo-rc.json', name: 'generated.files is a list', scene: 'project', args: [], setup: yoRcWith((d) => (d['generator-wpsn-docker'].generated.files = [])), field: 'generator-wpsn-docker.generated', rule: /must be \{ version: string, files/ },
  { group: '.yo-rc.json', name: 'a malformed hash', scene: 'project', args: [], setup: yoRcWith((d) => (d['generator-wpsn-docker'].generated.files['Dockerfile'] = 'md5:abc')), field: 'generator-wpsn-docker.generated.files.Dockerfile', rule: /sha256:<64 hex digits>/ },
  {
    group: '.yo-rc.json',
    name: 'a recorded path escaping with ".."',
    scene: 'project',
    args: [],
    setup: yoRcWith((d) => (d['generator-wpsn-docker'].generated.files['../victim.txt'] = `sha256:${'0'.repeat(64)}`)),
    field: 'generator-wpsn-docker.generated.files',
    rule: /"\.\.\/victim\.txt".*relative path inside the project/,
  },
  {
    group: '.yo-rc.json',
    name: 'an absolute recorded path',
    scene: 'project',
    args: [],
    setup: yoRcWith((d) => (d['generator-wpsn-docker'].generated.files['/etc/hostname'] = `sha256:${'0'.repeat(64)}`)),
    field: 'generator-wpsn-docker.generated.files',
    rule: /"\/etc\/hostname".*never touches files outside/,
  },
  { group: '.yo-rc.json', name: 'a stored answer out of range', scene: 'project', args: [], setup: yoRcWith((d) => (d['generator-wpsn-docker'].answers.app.port = 0)), field: 'app.port', rule: /\(\.yo-rc\.json\).*from 1 to 65535/ },
  { group: '.yo-rc.json', name: 'a stored unknown key', scene: 'project', args: [], setup: yoRcWith((d) => (d['generator-wpsn-docker'].answers.colour = 'blue')), field: 'colour', rule: /\(\.yo-rc\.json\).*unknown key/ },
  {
    group: '.yo-rc.json',
    name: 'a directory',
    scene: 'project',
    args: [],
    setup: (root) => {
      rmSync(join(root, '.yo-rc.json'));
      mkdirSync(join(root, '.yo-rc.json'));
    },
    field: '.yo-rc.json',
    rule: /is a directory where the generator keeps a file/,
  },
  {
    group: '.yo-rc.json',
    name: 'a symbolic link',
    scene: 'project',
    args: [],
    setup: (root) => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'wpsn-corpus-elsewhere-'));
      work.push(elsewhere);
      cpSync(join(root, '.yo-rc.json'), join(elsewhere, 'yo-rc.json'));
      rmSync(join(root, '.yo-rc.json'));
      symlinkSync(join(elsewhere, 'yo-rc.json'), join(root, '.yo-rc.json'));
    },
    field: '.yo-rc.json',
    rule: /is a symbolic link .*never reads or writes through links/,
  },
  // --- destinations
  { group: 'destination', name: 'a regular file', scene: 'fresh', args: [], files: { out: 'not a directory\n' }, field: 'directory', rule: /exists and is not a directory/ },
  { group: 'destination', name: 'under a regular file', scene: 'fresh', args: [], files: { taken: 'x\n' }, destination: () => 'taken/out', field: 'directory', rule: /cannot be used as the destination \(ENOTDIR\)/ },
  { group: 'destination', name: 'cannot be created (under /proc)', scene: 'fresh', args: [], destination: () => `/proc/wpsn-corpus-${process.pid}/out`, field: 'directory', rule: /cannot be created \(ENOENT\); nothing was written/ },
  {
    group: 'destination',
    name: 'an existing folder that cannot be written (immutable)',
    scene: 'fresh',
    args: [],
    setup: (root) => {
      mkdirSync(join(root, 'out'));
      const r = spawnSync('chattr', ['+i', join(root, 'out')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`chattr +i failed (the test needs a file system with attributes, such as ext4): ${r.stderr}`);
      immutable.push(join(root, 'out'));
    },
    field: 'directory',
    rule: /is not writable \(EPERM\)/,
  },
  {
    group: 'destination',
    name: 'a symbolic link pointing outside',
    scene: 'fresh',
    args: [],
    setup: (root) => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'wpsn-corpus-outside-'));
      work.push(elsewhere);
      symlinkSync(elsewhere, join(root, 'out'));
    },
    field: 'directory',
    rule: /the destination is a symbolic link \(to .*wpsn-corpus-outside-.*\): the generator never writes through links/,
  },
  {
    group: 'destination',
    name: '".." escaping through a symbolic link',
    scene: 'fresh',
    args: [],
    setup: (root) => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'wpsn-corpus-deep-'));
      work.push(elsewhere);
      mkdirSync(join(elsewhere, 'a', 'b'), { recursive: true });
      symlinkSync(join(elsewhere, 'a', 'b'), join(root, 'link'));
    },
    destination: () => 'link/../out',
    field: 'directory',
    rule: /"\.\." in the destination follows a symbolic link: it leads to .*wpsn-corpus-deep-.*\/a\/out/,
  },
  {
    group: 'destination',
    name: 'a generated file that is a symbolic link pointing outside',
    scene: 'project',
    args: [],
    setup: (root) => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'wpsn-corpus-target-'));
      work.push(elsewhere);
      writeFileSync(join(elsewhere, 'precious.txt'), 'do not overwrite\n');
      rmSync(join(root, 'Dockerfile'));
      symlinkSync(join(elsewhere, 'precious.txt'), join(root, 'Dockerfile'));
    },
    field: 'Dockerfile',
    rule: /is a symbolic link \(to .*precious\.txt\): the generator never reads or writes through links/,
  },
  {
    group: 'destination',
    name: 'the secrets folder is a symbolic link pointing outside',
    scene: 'project',
    args: ['--database', 'postgres'],
    setup: (root) => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'wpsn-corpus-secrets-'));
      work.push(elsewhere);
      cpSync(join(root, 'secrets'), elsewhere, { recursive: true });
      rmSync(join(root, 'secrets'), { recursive: true });
      symlinkSync(elsewhere, join(root, 'secrets'));
    },
    field: 'secrets/',
    rule: /is inside secrets, which is a symbolic link/,
  },
  {
    group: 'destination',
    name: 'a folder where the generator keeps a file',
    scene: 'project',
    args: [],
    setup: (root) => {
      rmSync(join(root, 'Dockerfile'));
      mkdirSync(join(root, 'Dockerfile'));
    },
    field: 'Dockerfile',
    rule: /is a directory where the generator keeps a file/,
  },
  // --- flags that contradict each other
  { group: 'contradiction', name: '--registry none,ecr', scene: 'fresh', args: ['--registry', 'none,ecr'], field: 'registries.targets', rule: /"none" means no target and cannot be combined with targets/ },
  { group: 'contradiction', name: '--deploy none,swarm', scene: 'fresh', args: ['--deploy', 'none,swarm'], field: 'deploy.targets', rule: /"none" means no target and cannot be combined/ },
  { group: 'contradiction', name: '--ecr-region with --registry ghcr', scene: 'fresh', args: ['--registry', 'ghcr', '--ecr-region', 'eu-west-1'], field: 'registries.ecr.region', rule: /setting of the ecr target, but --registry "ghcr" leaves ecr out/ },
  { group: 'contradiction', name: '--kubernetes-flavour with --deploy swarm', scene: 'fresh', args: ['--deploy', 'swarm', '--kubernetes-flavour', 'gke'], field: 'deploy.kubernetes.flavour', rule: /setting of the kubernetes target, but --deploy "swarm" leaves kubernetes out/ },
  { group: 'contradiction', name: '--registry-image with --registry none', scene: 'fresh', args: ['--registry', 'none', '--registry-image', 'shop'], field: 'registries.image', rule: /applies to every target, but --registry "none" chooses none/ },
  {
    group: 'contradiction',
    name: 'a mysql image for a postgres database',
    scene: 'fresh',
    args: ['--database', 'postgres', '--answers', 'a.yaml'],
    files: { 'a.yaml': 'database:\n  image: mysql:8.4\n' },
    field: 'database.image',
    rule: /is a mysql image, but the database is postgres/,
  },
  // --- usage
  { group: 'usage', name: 'an unknown flag', scene: 'fresh', args: ['--colour', 'blue'], field: '--colour', rule: /^wpsn-docker: --colour: unknown option$/ },
  { group: 'usage', name: 'a mistyped flag', scene: 'fresh', args: ['--databse', 'postgres'], field: '--databse', rule: /unknown option; did you mean --database\?$/ },
  { group: 'usage', name: 'a flag without its value', scene: 'fresh', args: ['--port'], field: '--port', rule: /needs a value \(--port VALUE\), and none was given/ },
  { group: 'usage', name: 'a flag followed by another flag instead of its value', scene: 'fresh', args: ['--port', '--force'], field: '--port = "--force"', rule: /looks like an option, not its value/ },
  { group: 'usage', name: 'a value for a switch', scene: 'fresh', args: ['--force=no'], field: '--force = "no"', rule: /takes no value \(it is a switch/ },
  { group: 'usage', name: 'a mistyped command', scene: 'fresh', destination: () => 'verfiy', args: [], field: '"verfiy"', rule: /is not a command; did you mean verify\?/ },
  { group: 'usage', name: 'two directories', scene: 'fresh', args: ['other'], field: '"other"', rule: /one directory at most/ },
];

// ---------------------------------------------------------------------------------

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runAsync(cwd: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  ensureBuilt();
  const parent = mkdtempSync(join(tmpdir(), 'wpsn-corpus-pristine-'));
  work.push(parent);
  const r = spawnSync(process.execPath, [BIN, 'demo', '--yes'], { cwd: parent, env: cleanEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not generate the pristine project: ${r.stderr}`);
  pristine = join(parent, 'demo');
});

afterAll(() => {
  for (const dir of immutable.splice(0)) spawnSync('chattr', ['-i', dir]);
  for (const dir of work.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bad-input corpus: exit code, field and rule named, the target byte-identical', () => {
  it('has at least 60 rows, each with a unique name, covering every group the issue lists', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    const names = ROWS.map((r) => `${r.group}: ${r.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect([...new Set(ROWS.map((r) => r.group))].sort()).toEqual(
      ['.yo-rc.json', 'answers file', 'contradiction', 'deploy', 'destination', 'image', 'network name', 'port', 'project name', 'registry', 'service name', 'usage', 'volume name'].sort(),
    );
    console.info(`bad-input corpus: ${ROWS.length} rows`);
  });

  it.concurrent.each(ROWS.map((row) => [`${row.group}: ${row.name}`, row] as const))('%s', async (_name, row) => {
    const root = mkdtempSync(join(tmpdir(), 'wpsn-corpus-'));
    work.push(root);
    let cwd = root;
    let target = root;
    if (row.scene === 'project') {
      cpSync(pristine, join(root, 'demo'), { recursive: true });
      cwd = join(root, 'demo');
      target = cwd;
    }
    for (const [path, content] of Object.entries(row.files ?? {})) writeFileSync(join(cwd, path), content);
    row.setup?.(cwd);
    const destination = row.destination?.(cwd) ?? 'out';
    const args = row.scene === 'fresh' ? [destination, '--yes', ...row.args] : ['--yes', ...row.args];
    const before: Record<string, TreeEntry> = snapshotTree(target);
    const r = await runAsync(cwd, args);
    const describe = `wpsn-docker ${args.map((a) => JSON.stringify(a.length > 80 ? `${a.slice(0, 77)}...` : a)).join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
    expect(r.code, describe).toBe(row.code ?? 2);
    expect(r.stdout, describe).toBe('');
    expect(r.stderr, describe).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    const lines = r.stderr.split('\n');
    const line = lines.find((l) => l.includes(row.field) && row.rule.test(l));
    expect(line, `a line naming ${row.field} and matching ${row.rule}:\n${describe}`).toBeDefined();
    // Byte-identical: for a fresh scene the folder it ran in, so the destination was not made either.
    expect(snapshotTree(target), `the target changed:\n${describe}`).toEqual(before);
    if (destination.startsWith('/proc/')) expect(spawnSync('test', ['-e', destination]).status).not.toBe(0);
  });
});
