// Live: every generated push script against a real registry. Debian's docker-registry
// (distribution) runs with htpasswd auth on a free loopback port; the app image is built
// once with `docker compose build`; each script pushes to that registry for real (the
// cloud scripts through their own <TARGET>_REGISTRY_HOST, accepted for this foreign host by
// <TARGET>_REGISTRY_HOST_ALLOW_FOREIGN=1), with fake aws, gcloud and az first on PATH that
// record their arguments and hand out the registry's password as the token. REGISTRY_HOST
// stays exported with another host the whole time, as a shell that ran push-registry.sh
// would have it: no cloud script may log in there (Docker's own config.json is checked).
// The tag list and the manifest digest are read back through the registry's HTTP API.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextYoRc, preparePlan, readInputs, resolveInputs } from '../../core/project.ts';
import { applyPlan } from '../../core/write.ts';
import { HTPASSWD_BIN, REGISTRY_BIN, startRegistry, type LocalRegistry } from './helpers/registry.ts';

const PROJECT = 'wpsn-live-reg';
const IMAGE = PROJECT;
const LOCAL_IMAGE = `${PROJECT}-app`;
const ACCOUNT = '123456789012';
/** docker login user names the scripts use; each is an htpasswd user with the same password. */
const USERS = ['AWS', 'oauth2accesstoken', '00000000-0000-0000-0000-000000000000', 'hubuser', 'gh-actor', 'reg-user'];

const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
/** REGISTRY_HOST as push-registry.sh's user left it exported: a host no cloud script may log in to. */
const DECOY = '127.0.0.1:9';
let root: string;
let projectDir: string;
let fakeDir: string;
let dockerConfig: string;
let host: string;
let registry: LocalRegistry | undefined;
const pushedRefs = new Set<string>();

function sh(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: options.timeout ?? 120_000, ...options });
  if (result.error) throw result.error;
  return result;
}

/** The registry's HTTP API, with basic auth. */
async function api(path: string, init: { method?: string; accept?: string } = {}): Promise<Response> {
  return fetch(`http://${host}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Basic ${Buffer.from(`reg-user:${PASSWORD}`).toString('base64')}`,
      ...(init.accept ? { Accept: init.accept } : {}),
    },
  });
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function tagsOf(name: string): Promise<string[]> {
  const res = await api(`/v2/${name}/tags/list`);
  expect(res.status, `tags of ${name}`).toBe(200);
  return ((await res.json()) as { tags: string[] | null }).tags ?? [];
}

async function digestOf(name: string, tag: string): Promise<string | null> {
  const res = await api(`/v2/${name}/manifests/${tag}`, { method: 'HEAD', accept: MANIFEST_TYPES });
  expect(res.status, `manifest ${name}:${tag}`).toBe(200);
  return res.headers.get('docker-content-digest');
}

/** Fake cloud CLIs: record argv (shell-quoted, one line per call), keep state, print the password as the token. */
function writeFakes(): void {
  const state = join(fakeDir, 'state');
  mkdirSync(state);
  writeFileSync(join(fakeDir, 'password'), PASSWORD);
  const head = (name: string) => `#!/usr/bin/env bash
set -u
{ printf '%s' ${name}; printf ' %q' "$@"; printf '\\n'; } >> ${JSON.stringify(join(fakeDir, 'calls.log'))}
STATE=${JSON.stringify(state)}
PASSWORD_FILE=${JSON.stringify(join(fakeDir, 'password'))}
`;
  const fakes: Record<string, string> = {
    aws: `case "\${1:-} \${2:-}" in
  'sts get-caller-identity') echo ${ACCOUNT} ;;
  'ecr get-login-password') cat "$PASSWORD_FILE" ;;
  'ecr describe-repositories')
    if [ -e "$STATE/ecr" ]; then echo '{"repositories": []}'; else
      echo 'An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation' >&2; exit 254; fi ;;
  'ecr create-repository') touch "$STATE/ecr"; echo "${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${IMAGE}" ;;
  *) echo "fake aws: unexpected call" >&2; exit 2 ;;
esac
`,
    gcloud: `case "\${1:-} \${2:-} \${3:-}" in
  'auth print-access-token '*) cat "$PASSWORD_FILE" ;;
  'artifacts repositories describe')
    if [ -e "$STATE/gar" ]; then echo 'name: live'; else echo 'ERROR: (gcloud.artifacts.repositories.describe) NOT_FOUND' >&2; exit 1; fi ;;
  'artifacts repositories create') touch "$STATE/gar"; echo 'Created repository' >&2 ;;
  *) echo "fake gcloud: unexpected call" >&2; exit 2 ;;
esac
`,
    az: `case "\${1:-} \${2:-}" in
  'acr show')
    if [ -e "$STATE/acr" ]; then echo 'wpsnlive01.azurecr.io'; else echo '(ResourceNotFound) The Resource was not found.' >&2; exit 3; fi ;;
  'acr create') touch "$STATE/acr"; echo 'wpsnlive01.azurecr.io' ;;
  'acr login') cat "$PASSWORD_FILE" ;;
  *) echo "fake az: unexpected call" >&2; exit 2 ;;
esac
`,
  };
  for (const [name, body] of Object.entries(fakes)) writeFileSync(join(fakeDir, name), head(name) + body, { mode: 0o755 });
  writeFileSync(join(fakeDir, 'calls.log'), '');
}

interface Push {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The cloud CLI calls this run made. */
  calls: string[];
  /** repository:tag -> digest, from the "pushed REF@DIGEST" lines. */
  pushed: Array<{ repository: string; tag: string; digest: string }>;
}

function push(target: string, env: Record<string, string>): Push {
  writeFileSync(join(fakeDir, 'calls.log'), '');
  const result = sh('bash', [join(projectDir, 'scripts', `push-${target}.sh`)], {
    cwd: root,
    timeout: 300_000,
    env: {
      PATH: `${fakeDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      HOME: root,
      DOCKER_CONFIG: dockerConfig,
      ...(process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {}),
      ...env,
    },
  });
  const pushed = [...result.stdout.matchAll(/^pushed (\S+):([\w][\w.-]*)@(sha256:[0-9a-f]{64})$/gm)].map((m) => ({ repository: m[1]!, tag: m[2]!, digest: m[3]! }));
  for (const p of pushed) pushedRefs.add(`${p.repository}:${p.tag}`);
  const calls = readFileSync(join(fakeDir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls, pushed };
}

/** Asserts a run pushed exactly these tags to `name` and the registry holds them at the printed digest. */
async function expectPushed(run: Push, name: string, tags: string[]): Promise<void> {
  const describe = `--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
  expect(run.code, describe).toBe(0);
  expect(run.pushed.map((p) => `${p.repository}:${p.tag}`), describe).toEqual(tags.map((t) => `${host}/${name}:${t}`));
  // Every line of output that names a secret would be a leak: the password appears nowhere.
  expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  const listed = await tagsOf(name);
  for (const p of run.pushed) {
    expect(listed, name).toContain(p.tag);
    expect(await digestOf(name, p.tag), `${name}:${p.tag}`).toBe(p.digest);
  }
  // Both tags of one run are the same image.
  expect(new Set(run.pushed.map((p) => p.digest)).size).toBe(1);
}

/**
 * A cloud script's settings for the local registry: its own host variable, the switch that
 * accepts a host outside its cloud, and the decoy REGISTRY_HOST it must ignore.
 */
function viaLocal(prefix: string): Record<string, string> {
  return { [`${prefix}_REGISTRY_HOST`]: host, [`${prefix}_REGISTRY_HOST_ALLOW_FOREIGN`]: '1', REGISTRY_HOST: DECOY };
}

/** What a cloud script says on stderr when run through viaLocal. */
function expectWarned(run: Push, script: string, prefix: string, label: string, credential: string): void {
  expect(run.stderr).toContain(`${script}: REGISTRY_HOST=${DECOY} is ignored: it is the setting of push-registry.sh; this script logs in to ${label} only`);
  expect(run.stderr).toContain(
    `${script}: warning: ${prefix}_REGISTRY_HOST=${host} is not a host of ${label}, accepted because ${prefix}_REGISTRY_HOST_ALLOW_FOREIGN=1: ${credential} goes to ${host}\n`,
  );
}

beforeAll(async () => {
  for (const tool of [REGISTRY_BIN, HTPASSWD_BIN, '/usr/bin/shellcheck']) {
    expect(existsSync(tool), `${tool} is needed (scripts/test-env.sh installs it)`).toBe(true);
  }
  expect(sh('docker', ['info', '--format', '{{.ServerVersion}}']).status, 'a running Docker Engine').toBe(0);

  root = mkdtempSync(join(realpathSync(tmpdir()), 'wpsn-live-registry-'));
  projectDir = join(root, PROJECT);
  fakeDir = join(root, 'fakebin');
  dockerConfig = join(root, 'docker-config');
  mkdirSync(fakeDir);
  mkdirSync(dockerConfig);
  writeFakes();

  // The registry: htpasswd auth, every user with the same password, on a free loopback port.
  registry = await startRegistry(root, { users: USERS, password: PASSWORD });
  host = registry.host;

  // The project, generated with all six targets exactly as `wpsn-docker --yes` does.
  const inputs = readInputs(projectDir, {
    yes: true,
    registry: 'dockerhub,ecr,gar,acr,ghcr,registry',
    'ecr-region': 'eu-west-1',
    'gar-project': 'wpsn-live-proj',
    'gar-location': 'europe-west4',
    'gar-repository': 'containers',
    'acr-name': 'WpsnLive01',
    'acr-resource-group': 'rg-live',
  });
  const prepared = preparePlan(inputs, resolveInputs(inputs));
  applyPlan(projectDir, prepared.plan, nextYoRc(inputs, prepared));
  for (const t of ['dockerhub', 'ecr', 'gar', 'acr', 'ghcr', 'registry']) expect(existsSync(join(projectDir, `scripts/push-${t}.sh`)), t).toBe(true);

  // The app image, built once (the scripts then reuse it with SKIP_BUILD=1).
  const build = sh('docker', ['compose', 'build'], { cwd: projectDir, timeout: 540_000, env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  expect(sh('docker', ['image', 'inspect', LOCAL_IMAGE]).status).toBe(0);
});

afterAll(() => {
  registry?.stop();
  for (const ref of pushedRefs) sh('docker', ['image', 'rm', ref]);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('push scripts against a real registry (docker-registry with htpasswd on loopback)', () => {
  it('push-registry.sh builds, pushes both tags, and prints the digest the registry holds', async () => {
    const run = push('registry', {
      REGISTRY_HOST: host,
      REGISTRY_USERNAME: 'reg-user',
      REGISTRY_PASSWORD: PASSWORD,
      REGISTRY_NAMESPACE: 'team',
      IMAGE_TAG: 'reg-build',
    });
    expect(run.stdout).toContain(`+ docker compose --project-name ${PROJECT} build app\n`);
    await expectPushed(run, `team/${IMAGE}`, ['reg-build', 'latest']);
    expect(run.calls).toEqual([]);
  });

  it('push-registry.sh with SKIP_BUILD=1 reuses the local image', async () => {
    const run = push('registry', {
      REGISTRY_HOST: host,
      REGISTRY_USERNAME: 'reg-user',
      REGISTRY_PASSWORD: PASSWORD,
      REGISTRY_NAMESPACE: 'team',
      IMAGE_TAG: 'reg-skip',
      SKIP_BUILD: '1',
      PUSH_LATEST: '0',
    });
    expect(run.stdout).not.toContain('docker compose');
    await expectPushed(run, `team/${IMAGE}`, ['reg-skip']);
  });

  it('push-ecr.sh: account from sts, token from get-login-password, the repository created when missing', async () => {
    const run = push('ecr', { ...viaLocal('ECR'), IMAGE_TAG: 'ecr-1', SKIP_BUILD: '1' });
    await expectPushed(run, IMAGE, ['ecr-1', 'latest']);
    expectWarned(run, 'push-ecr.sh', 'ECR', 'Amazon ECR', 'the ECR login token (aws ecr get-login-password)');
    expect(run.calls).toEqual([
      'aws sts get-caller-identity --query Account --output text',
      'aws ecr get-login-password --region eu-west-1',
      `aws ecr describe-repositories --region eu-west-1 --registry-id ${ACCOUNT} --repository-names ${IMAGE}`,
      `aws ecr create-repository --region eu-west-1 --registry-id ${ACCOUNT} --repository-name ${IMAGE} --image-scanning-configuration scanOnPush=true --query repository.repositoryUri --output text`,
    ]);
    // Run again: the repository exists now, and the account is given.
    const again = push('ecr', { ...viaLocal('ECR'), IMAGE_TAG: 'ecr-2', SKIP_BUILD: '1', PUSH_LATEST: '0', AWS_ACCOUNT_ID: '210987654321' });
    await expectPushed(again, IMAGE, ['ecr-2']);
    expect(again.calls).toEqual([
      'aws ecr get-login-password --region eu-west-1',
      `aws ecr describe-repositories --region eu-west-1 --registry-id 210987654321 --repository-names ${IMAGE}`,
    ]);
  });

  it('push-gar.sh: token from gcloud, the repository created when missing', async () => {
    const run = push('gar', { ...viaLocal('GAR'), IMAGE_TAG: 'gar-1', SKIP_BUILD: '1' });
    await expectPushed(run, `wpsn-live-proj/containers/${IMAGE}`, ['gar-1', 'latest']);
    expectWarned(run, 'push-gar.sh', 'GAR', 'Google Artifact Registry', 'your Google Cloud access token (gcloud auth print-access-token)');
    expect(run.calls).toEqual([
      'gcloud auth print-access-token',
      'gcloud artifacts repositories describe containers --project wpsn-live-proj --location europe-west4',
      'gcloud artifacts repositories create containers --project wpsn-live-proj --location europe-west4 --repository-format docker',
    ]);
  });

  it('push-acr.sh: the registry created when missing, the token from az acr login --expose-token', async () => {
    const run = push('acr', { ...viaLocal('ACR'), IMAGE_TAG: 'acr-1', SKIP_BUILD: '1' });
    await expectPushed(run, IMAGE, ['acr-1', 'latest']);
    expectWarned(run, 'push-acr.sh', 'ACR', 'Azure Container Registry', 'the registry token of az acr login --expose-token');
    expect(run.calls).toEqual([
      'az acr show --name WpsnLive01 --query loginServer --output tsv',
      'az acr create --name WpsnLive01 --resource-group rg-live --sku Basic --query loginServer --output tsv',
      'az acr login --name WpsnLive01 --expose-token --output tsv --query accessToken',
    ]);
    // Run again: az acr show finds the registry now, nothing is created.
    const again = push('acr', { ...viaLocal('ACR'), IMAGE_TAG: 'acr-2', SKIP_BUILD: '1', PUSH_LATEST: '0' });
    await expectPushed(again, IMAGE, ['acr-2']);
    expect(again.calls).toEqual([
      'az acr show --name WpsnLive01 --query loginServer --output tsv',
      'az acr login --name WpsnLive01 --expose-token --output tsv --query accessToken',
    ]);
  });

  it('push-dockerhub.sh: the namespace from the user name, the token on stdin', async () => {
    const run = push('dockerhub', { ...viaLocal('DOCKERHUB'), DOCKERHUB_USERNAME: 'hubuser', DOCKERHUB_TOKEN: PASSWORD, IMAGE_TAG: 'hub-1', SKIP_BUILD: '1' });
    await expectPushed(run, `hubuser/${IMAGE}`, ['hub-1', 'latest']);
    expectWarned(run, 'push-dockerhub.sh', 'DOCKERHUB', 'Docker Hub', 'DOCKERHUB_TOKEN');
    expect(run.calls).toEqual([]);
  });

  it('push-ghcr.sh: the owner from GITHUB_REPOSITORY_OWNER, lowercased', async () => {
    const run = push('ghcr', {
      ...viaLocal('GHCR'),
      GITHUB_REPOSITORY_OWNER: 'Live-Org',
      GITHUB_ACTOR: 'gh-actor',
      GITHUB_TOKEN: PASSWORD,
      IMAGE_TAG: 'ghcr-1',
      SKIP_BUILD: '1',
    });
    await expectPushed(run, `live-org/${IMAGE}`, ['ghcr-1', 'latest']);
    expectWarned(run, 'push-ghcr.sh', 'GHCR', 'GitHub Container Registry', 'GITHUB_TOKEN');
    expect(run.calls).toEqual([]);
  });

  it('a cloud script refuses a foreign host of its own without _ALLOW_FOREIGN (exit 2): no CLI call, no login, no push', () => {
    for (const [target, prefix] of [['ecr', 'ECR'], ['gar', 'GAR'], ['acr', 'ACR'], ['dockerhub', 'DOCKERHUB'], ['ghcr', 'GHCR']] as const) {
      const run = push(target, {
        [`${prefix}_REGISTRY_HOST`]: host,
        DOCKERHUB_USERNAME: 'hubuser',
        DOCKERHUB_TOKEN: PASSWORD,
        GITHUB_REPOSITORY_OWNER: 'Live-Org',
        GITHUB_ACTOR: 'gh-actor',
        GITHUB_TOKEN: PASSWORD,
        IMAGE_TAG: `refused-${target}`,
        SKIP_BUILD: '1',
      });
      expect(run.code, `${target}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`  - ${prefix}_REGISTRY_HOST=${host} is not valid: it must be `);
      expect(run.stderr).toContain(`(set ${prefix}_REGISTRY_HOST_ALLOW_FOREIGN=1 to send it to this host anyway)`);
      expect(run.calls, target).toEqual([]);
      expect(run.stdout, target).toBe('');
    }
  });

  it('docker logged in to the local registry only: never to the REGISTRY_HOST the cloud scripts ignored', () => {
    const config = JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as { auths?: Record<string, unknown>; credsStore?: string };
    expect(config.credsStore, 'logins are kept in config.json itself here').toBeUndefined();
    expect(Object.keys(config.auths ?? {})).toEqual([host]);
  });

  it('a wrong password fails the push (the registry really checks), without printing it', () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const run = push('registry', { REGISTRY_HOST: host, REGISTRY_USERNAME: 'reg-user', REGISTRY_PASSWORD: wrong, IMAGE_TAG: 'never', SKIP_BUILD: '1' });
    expect(run.code).not.toBe(0);
    expect(run.pushed).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });

  it('the registry holds exactly the repositories the scripts pushed', async () => {
    const res = await api('/v2/_catalog');
    expect(res.status).toBe(200);
    const { repositories } = (await res.json()) as { repositories: string[] };
    expect(repositories.sort()).toEqual(
      [IMAGE, `hubuser/${IMAGE}`, `live-org/${IMAGE}`, `team/${IMAGE}`, `wpsn-live-proj/containers/${IMAGE}`].sort(),
    );
    expect(await tagsOf(IMAGE)).toEqual(expect.arrayContaining(['ecr-1', 'ecr-2', 'acr-1', 'acr-2', 'latest']));
  });
});
