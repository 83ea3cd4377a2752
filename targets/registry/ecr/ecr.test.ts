// Amazon ECR: what describeRegistryTarget (test/unit/helpers/registry.ts) checks, with this
// target's expectations, and what only this target does (the account from aws sts).
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_ENV, describeRegistryTarget, project, runScript, workflow } from '../../../test/unit/helpers/registry.ts';
import { FAKE_CLOUD_TOKENS } from '../../../test/unit/helpers/fake-bin.ts';
import { ecr } from './index.ts';

describeRegistryTarget('ecr', {
  refused: [
    ['registries.ecr.region', { ecr: { region: 'EU-West-1' } }, 'an AWS region'],
    ['registries.ecr.accountId', { ecr: { accountId: '12345' } }, '12 digits'],
    ['registries.image', { targets: ['ecr'], image: 'a__b' }, 'ECR repository name'],
  ],
  dryRun: [
    '+ aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    '+ aws ecr describe-repositories --region eu-west-1 --registry-id 123456789012 --repository-names demo',
    '+ aws ecr create-repository --region eu-west-1 --registry-id 123456789012 --repository-name demo --image-scanning-configuration scanOnPush=true --query repository.repositoryUri --output text   # only when the lookup above fails',
    '+ docker compose --project-name demo build app',
    '+ docker tag demo-app 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:v1.2.3',
    '+ docker tag demo-app 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:latest',
    '+ docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:v1.2.3',
    '+ docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:latest',
    'would push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:v1.2.3',
    'would push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:latest',
  ],
  defaults: { settings: { region: 'cn-north-1', accountId: '123456789012' }, repository: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/shop-api' },
  badSettings: [
    [{ IMAGE: 'a__b' }, 'IMAGE=a__b is not valid: it must be an ECR repository name'],
    [{ ECR_REGISTRY_HOST: 'my_host:5000' }, 'ECR_REGISTRY_HOST=my_host:5000 is not valid: it must be a registry host'],
    [{ ECR_REGISTRY_HOST: 'evil.example:70000', ECR_REGISTRY_HOST_ALLOW_FOREIGN: '1' }, 'ECR_REGISTRY_HOST=evil.example:70000 is not valid: it must be a registry host with an optional port from 1 to 65535'],
    [{ AWS_REGION: 'eu-west' }, 'AWS_REGION=eu-west is not valid: it must be an AWS region'],
    [{ AWS_ACCOUNT_ID: '12345678901' }, 'AWS_ACCOUNT_ID=12345678901 is not valid: it must be an AWS account ID: 12 digits'],
  ],
  missing: ['AWS_REGION'],
  credential: {
    host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    user: 'AWS',
    secret: FAKE_CLOUD_TOKENS.aws,
    variable: 'ECR_REGISTRY_HOST',
    rule: 'ecrHost',
    credential: 'the ECR login token (aws ecr get-login-password)',
    otherHosts: [
      [{ ECR_REGISTRY_HOST: '123456789012.dkr.ecr-fips.eu-west-1.amazonaws.com' }, '123456789012.dkr.ecr-fips.eu-west-1.amazonaws.com/demo'],
      [{ ECR_REGISTRY_HOST: '123456789012.dkr-ecr.eu-west-1.on.aws' }, '123456789012.dkr-ecr.eu-west-1.on.aws/demo'],
    ],
  },
  workflow: { permissions: { contents: 'read', 'id-token': 'write' }, uses: [ecr.actions.aws, ecr.actions.ecrLogin], secrets: false },
});

describe('ecr: the account and the region', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ registries: { targets: ['ecr'] } }).dir;
  });

  it('without AWS_ACCOUNT_ID, --dry-run shows the sts call it would make', () => {
    const env = { ...CLOUD_ENV };
    delete env['AWS_ACCOUNT_ID'];
    const r = runScript(dir, 'ecr', ['-n'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('+ aws sts get-caller-identity --query Account --output text');
    expect(r.stdout).toContain('would push <AWS_ACCOUNT_ID>.dkr.ecr.eu-west-1.amazonaws.com/demo:v1.2.3\n');
    expect(r.calls).toBe('');
  });

  it('reports every problem at once', () => {
    const r = runScript(dir, 'ecr', ['--dry-run'], { IMAGE: 'A', IMAGE_TAG: '.x', PUSH_LATEST: '2', AWS_REGION: 'x', AWS_ACCOUNT_ID: '1' });
    expect(r.code).toBe(2);
    for (const name of ['IMAGE=A', 'IMAGE_TAG=.x', 'PUSH_LATEST=2', 'AWS_REGION=x', 'AWS_ACCOUNT_ID=1']) expect(r.stderr).toContain(`  - ${name} is not valid`);
  });

  it('the workflow: generation-time defaults are the fallback of each repository variable', () => {
    const wf = workflow('ecr', { image: 'shop-api', platforms: 'linux/amd64,linux/arm64', ecr: { region: 'eu-west-1' } });
    expect(wf.jobs.publish.env).toMatchObject({
      IMAGE: "${{ vars.IMAGE || 'shop-api' }}",
      PLATFORMS: "${{ vars.PLATFORMS || 'linux/amd64,linux/arm64' }}",
      AWS_REGION: "${{ vars.AWS_REGION || 'eu-west-1' }}",
    });
    expect(workflow('ecr').jobs.publish.env.AWS_REGION).toBe('${{ vars.AWS_REGION }}');
  });
});
