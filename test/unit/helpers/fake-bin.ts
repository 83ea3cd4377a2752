// Runs a generated script with a dir of fake CLIs (each logging its calls) first on PATH.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the fakes logged during this run. */
  calls: string;
}

/**
 * `bash script ...args` in `cwd`, PATH the fake bin dir then /usr/bin:/bin, plus `env`
 * (which may override PATH); the fakes' log is emptied first and returned as `calls`.
 */
export function runWithFakes(script: string, args: readonly string[], fake: { bin: string; log: string }, cwd: string, env: Record<string, string>): ScriptRun {
  writeFileSync(fake.log, '');
  const result = spawnSync('bash', [script, ...args], {
    cwd,
    env: { PATH: `${fake.bin}:/usr/bin:/bin`, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls: readFileSync(fake.log, 'utf8') };
}

/** Secrets the push settings below carry: they must never appear in an argument or the output. */
export const PUSH_SECRETS = ['hub-secret-Tok3n', 'gh-secret-Tok3n', 'reg-secret-Pa55'] as const;

/** Settings under which every push script has what it needs (tests override some). */
export const PUSH_SETTINGS: Readonly<Record<string, string>> = {
  IMAGE_TAG: 'v1.2.3',
  DOCKERHUB_USERNAME: 'Bob',
  DOCKERHUB_TOKEN: PUSH_SECRETS[0],
  AWS_REGION: 'eu-west-1',
  AWS_ACCOUNT_ID: '123456789012',
  GOOGLE_CLOUD_PROJECT: 'my-proj-42',
  GAR_LOCATION: 'europe-west4',
  GAR_REPOSITORY: 'apps',
  ACR_NAME: 'MyRegistry1',
  AZURE_RESOURCE_GROUP: 'rg-apps',
  GITHUB_REPOSITORY_OWNER: 'Some-Org',
  GITHUB_ACTOR: 'octocat',
  GITHUB_TOKEN: PUSH_SECRETS[1],
  REGISTRY_HOST: 'registry.example.com:5000',
  REGISTRY_USERNAME: 'ci',
  REGISTRY_PASSWORD: PUSH_SECRETS[2],
};

/**
 * Registry answers from real life that the schema accepts, with the characters its rules
 * allow that mean something to a shell or a parser: "(" and ")", ":", "[" and "]", "/", ".".
 */
export const UNUSUAL_REGISTRIES = {
  targets: ['dockerhub', 'ecr', 'gar', 'acr', 'ghcr', 'registry'],
  image: 'shop-api',
  platforms: 'linux/amd64,linux/arm64/v8',
  branch: 'release/2.x',
  dockerhub: { namespace: 'acme' },
  ecr: { region: 'us-gov-west-1', accountId: '123456789012' },
  gar: { project: 'example.com:my-project', location: 'us', repository: 'containers' },
  acr: { name: 'AcmeProd01', resourceGroup: 'rg-prod_(eu)' },
  ghcr: { owner: 'Acme-Corp' },
  registry: { host: '[::1]:5000', namespace: 'team/apps' },
};

/** The tokens the fake cloud CLIs hand out (what `docker login` then reads on stdin). */
export const FAKE_CLOUD_TOKENS = { aws: 'ecr-fake-Tok3n', gcloud: 'gcp-fake-Tok3n', az: 'acr-fake-Tok3n' } as const;

/**
 * Fake docker, aws, gcloud and az in `bin`: each appends "name [arg]..." to calls.log, and
 * `docker login` also "stdin [what it read]" on the next line (both in one write). The cloud CLIs answer what the push scripts
 * ask (tokens from FAKE_CLOUD_TOKENS; `az acr show` reports $FAKE_ACR_SERVER, default
 * myregistry1.azurecr.io); anything else exits 97. Used first on PATH: a dry run must leave
 * the log empty.
 */
export function writeRegistryFakes(bin: string): { bin: string; log: string } {
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  const digest = (byte: string) => `sha256:${byte.repeat(32)}`;
  const answers: Record<string, string> = {
    docker: `  'docker login '*) echo 'Login Succeeded' ;;
  'docker push '*)
    echo "The push refers to repository [\${2%:*}]"
    if [ -z "\${FAKE_PUSH_QUIET:-}" ]; then echo "\${2##*:}: digest: ${digest('ab')} size: 1234"; fi ;;
  'docker image '*)
    ref=\${@: -1}; repo=\${ref%:*}; familiar=\${repo#docker.io/}; familiar=\${familiar#library/}
    echo "other/thing@${digest('11')}"
    echo "\$familiar@${digest('cd')}" ;;
  'docker tag '*|'docker compose '*) ;;`,
    aws: `  'aws ecr get-login-password') echo ${FAKE_CLOUD_TOKENS.aws} ;;
  'aws ecr describe-repositories') echo '{"repositories": []}' ;;
  'aws sts get-caller-identity') echo 123456789012 ;;`,
    gcloud: `  'gcloud auth print-access-token') echo ${FAKE_CLOUD_TOKENS.gcloud} ;;
  'gcloud artifacts repositories') echo 'name: apps' ;;`,
    az: `  'az acr show') echo "\${FAKE_ACR_SERVER:-myregistry1.azurecr.io}" ;;
  'az acr login') echo ${FAKE_CLOUD_TOKENS.az} ;;`,
  };
  for (const [name, cases] of Object.entries(answers)) {
    const script = `#!/usr/bin/env bash
LOG=${JSON.stringify(log)}
# One write per call (the other side of a pipe logs at the same time).
line=${name}
for a in "$@"; do line+=" [$a]"; done
if [ "${name} \${1:-}" = 'docker login' ]; then line+=$'\\n'"stdin [$(cat)]"; fi
printf '%s\\n' "$line" >> "$LOG"
case "${name} \${1:-} \${2:-}" in
${cases}
  *) echo "fake ${name}: unexpected call" >&2; exit 97 ;;
esac
`;
    writeFileSync(join(bin, name), script, { mode: 0o755 });
  }
  return { bin, log };
}
