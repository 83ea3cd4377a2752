// Docker Hub: what describeRegistryTarget (test/unit/helpers/registry.ts) checks, with this
// target's expectations.
import { describeRegistryTarget, SECRETS } from '../../../test/unit/helpers/registry.ts';
import { ACTIONS } from '../workflow.ts';

describeRegistryTarget('dockerhub', {
  refused: [
    ['registries.dockerhub.namespace', { dockerhub: { namespace: 'Bob' } }, 'Docker Hub user or organisation'],
    ['registries.image', { targets: ['dockerhub'], image: 'team/app' }, 'no "/"'],
  ],
  dryRun: [
    `+ printf '%s\\n' "$DOCKERHUB_TOKEN" | docker login --username Bob --password-stdin docker.io`,
    '+ docker compose --project-name demo build app',
    '+ docker tag demo-app docker.io/bob/demo:v1.2.3',
    '+ docker tag demo-app docker.io/bob/demo:latest',
    '+ docker push docker.io/bob/demo:v1.2.3',
    '+ docker push docker.io/bob/demo:latest',
    'would push docker.io/bob/demo:v1.2.3',
    'would push docker.io/bob/demo:latest',
  ],
  defaults: { settings: { namespace: 'acme' }, repository: 'docker.io/acme/shop-api' },
  badSettings: [
    [{ IMAGE: 'team/app' }, 'IMAGE=team/app is not valid: it must be a Docker Hub repository name'],
    [{ DOCKERHUB_NAMESPACE: 'Acme' }, 'DOCKERHUB_NAMESPACE=Acme is not valid'],
    [{ DOCKERHUB_USERNAME: 'bob:x' }, 'DOCKERHUB_USERNAME=bob:x is not valid'],
  ],
  missing: ['DOCKERHUB_USERNAME', 'DOCKERHUB_TOKEN'],
  credential: {
    host: 'docker.io',
    user: 'Bob',
    secret: SECRETS[0]!,
    variable: 'DOCKERHUB_REGISTRY_HOST',
    rule: 'dockerhubHost',
    credential: 'DOCKERHUB_TOKEN',
    otherHosts: [[{ DOCKERHUB_REGISTRY_HOST: 'registry-1.docker.io' }, 'registry-1.docker.io/bob/demo']],
  },
  workflow: { permissions: { contents: 'read' }, uses: [ACTIONS.login], secrets: true },
});
