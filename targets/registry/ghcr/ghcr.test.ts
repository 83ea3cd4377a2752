// GitHub Container Registry: what describeRegistryTarget (test/unit/helpers/registry.ts)
// checks, with this target's expectations.
import { describeRegistryTarget, SECRETS } from '../../../test/unit/helpers/registry.ts';
import { ACTIONS } from '../workflow.ts';

describeRegistryTarget('ghcr', {
  refused: [['registries.ghcr.owner', { ghcr: { owner: '-owner' } }, 'GitHub user or organisation']],
  dryRun: [
    `+ printf '%s\\n' "$GITHUB_TOKEN" | docker login --username octocat --password-stdin ghcr.io`,
    '+ docker compose --project-name demo build app',
    '+ docker tag demo-app ghcr.io/some-org/demo:v1.2.3',
    '+ docker tag demo-app ghcr.io/some-org/demo:latest',
    '+ docker push ghcr.io/some-org/demo:v1.2.3',
    '+ docker push ghcr.io/some-org/demo:latest',
    'would push ghcr.io/some-org/demo:v1.2.3',
    'would push ghcr.io/some-org/demo:latest',
  ],
  defaults: { settings: { owner: 'Acme-Corp' }, repository: 'ghcr.io/acme-corp/shop-api' },
  badSettings: [
    [{ GHCR_OWNER: 'some--org' }, 'GHCR_OWNER=some--org is not valid'],
    [{ GHCR_OWNER: '', GITHUB_REPOSITORY_OWNER: 'bad_owner' }, 'GITHUB_REPOSITORY_OWNER=bad_owner is not valid'],
    [{ GHCR_OWNER: 'o'.repeat(40) }, 'GHCR_OWNER='],
  ],
  missing: ['GHCR_OWNER', 'GITHUB_ACTOR', 'GITHUB_TOKEN'],
  credential: {
    host: 'ghcr.io',
    user: 'octocat',
    secret: SECRETS[1]!,
    variable: 'GHCR_REGISTRY_HOST',
    rule: 'ghcrHost',
    credential: 'GITHUB_TOKEN',
    otherHosts: [[{ GHCR_REGISTRY_HOST: 'ghcr.io' }, 'ghcr.io/some-org/demo']],
  },
  workflow: { permissions: { contents: 'read', packages: 'write' }, uses: [ACTIONS.login], secrets: true },
});
