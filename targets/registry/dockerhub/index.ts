// Docker Hub: scripts/push-dockerhub.sh logs in with a personal access token and pushes
// docker.io/NAMESPACE/IMAGE.
import * as z from 'zod';
import { COMPONENT, ruled, type Rule } from '../rules.ts';
import { ciSetting, t, variable } from '../shared.ts';
import type { RegistryTargetModule } from '../types.ts';
import { ACTIONS, expr } from '../workflow.ts';

/** One path component under the namespace. */
const dockerhubRepository: Rule = {
  pattern: COMPONENT,
  min: 2,
  max: 255,
  text: 'a Docker Hub repository name: lowercase letters and digits, separated by ".", "_" or "-", no "/", 2 to 255 characters',
};

const dockerhubNamespace: Rule = {
  pattern: COMPONENT,
  min: 2,
  max: 255,
  text: 'a Docker Hub user or organisation name: lowercase letters and digits (with ".", "_" or "-" between them), no "/"',
};

// The hosts each cloud target sends its credential to (lowercase: scripts lowercase a
// host before checking it). A per-target override (DOCKERHUB_REGISTRY_HOST, ...) must
// follow its target's rule unless the matching _ALLOW_FOREIGN switch is 1.
const dockerhubHost: Rule = {
  pattern: 'docker\\.io|registry-1\\.docker\\.io|index\\.docker\\.io',
  min: 9,
  max: 20,
  text: 'a Docker Hub host: docker.io, registry-1.docker.io or index.docker.io',
};

const schema = z
  .strictObject({ namespace: ruled(dockerhubNamespace, 'the Docker Hub namespace').optional() })
  .prefault({})
  .meta({ description: 'Docker Hub defaults for scripts/push-dockerhub.sh' });

export const dockerhub = {
  id: 'dockerhub',
  label: 'Docker Hub',
  schema,
  flags: [{ flag: 'dockerhub-namespace', setting: 'namespace', description: 'Docker Hub user or organisation (default at run time: DOCKERHUB_USERNAME)' }],
  rules: { names: { dockerhubRepository, dockerhubNamespace }, host: { dockerhubHost } },
  imageRule: 'dockerhubRepository',
  hostOverride: {
    prefix: 'DOCKERHUB',
    rule: 'dockerhubHost',
    computed: t('docker.io', 'docker.io'),
    example: t('registry-1.docker.io', 'registry-1.docker.io'),
    credential: t('DOCKERHUB_TOKEN', 'DOCKERHUB_TOKEN'),
  },
  variables: (s) => [
    variable('DOCKERHUB_USERNAME', t('your Docker Hub user name', 'Docker Hub 사용자 이름'), { required: true, example: 'your-name' }),
    variable('DOCKERHUB_TOKEN', t('a Docker Hub personal access token with Read & Write scope', '읽기/쓰기 권한이 있는 Docker Hub 개인 액세스 토큰'), { required: true, secret: true }),
    variable('DOCKERHUB_NAMESPACE', t('the user or organisation the repository belongs to', '저장소가 속한 사용자 또는 조직'), {
      value: s.namespace,
      fallback: t('DOCKERHUB_USERNAME, lowercased', 'DOCKERHUB_USERNAME (소문자로)'),
    }),
  ],
  repository: (s, image) => `docker.io/${s.namespace ?? '<DOCKERHUB_NAMESPACE>'}/${image}`,
  ci: (s) => [
    ciSetting('DOCKERHUB_USERNAME', t('your Docker Hub user name', 'Docker Hub 사용자 이름')),
    ciSetting('DOCKERHUB_TOKEN', t('the access token', '액세스 토큰'), { secret: true }),
    ciSetting('DOCKERHUB_NAMESPACE', t('user or organisation; DOCKERHUB_USERNAME when unset', '사용자 또는 조직; 비어 있으면 DOCKERHUB_USERNAME'), {
      required: false,
      value: s.namespace,
    }),
  ],
  workflow: (value) => {
    const namespace = value('DOCKERHUB_NAMESPACE');
    return {
      env: {
        DOCKERHUB_NAMESPACE: expr(namespace === undefined ? 'vars.DOCKERHUB_NAMESPACE || vars.DOCKERHUB_USERNAME' : `vars.DOCKERHUB_NAMESPACE || '${namespace}'`),
      },
      check: [
        ['DOCKERHUB_USERNAME', 'vars.DOCKERHUB_USERNAME'],
        ['DOCKERHUB_TOKEN', 'secrets.DOCKERHUB_TOKEN'],
      ],
      steps: [
        {
          name: 'Log in to Docker Hub',
          uses: ACTIONS.login,
          with: { username: expr('vars.DOCKERHUB_USERNAME'), password: expr('secrets.DOCKERHUB_TOKEN') },
        },
      ],
      images: expr("format('docker.io/{0}/{1}', env.DOCKERHUB_NAMESPACE, env.IMAGE)"),
    };
  },
} satisfies RegistryTargetModule<'dockerhub', z.output<typeof schema>>;
