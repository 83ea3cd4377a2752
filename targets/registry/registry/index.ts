// A self-hosted registry (any registry speaking the distribution API): scripts/push-registry.sh
// logs in with a user name and password and pushes HOST/[NAMESPACE/]IMAGE. It is the one
// target that reads REGISTRY_HOST; the cloud scripts each have their own host override.
import * as z from 'zod';
import { ruled, SHARED_RULES } from '../rules.ts';
import { ciSetting, t, variable } from '../shared.ts';
import type { RegistryTargetModule } from '../types.ts';
import { ACTIONS, block, expr, varOr } from '../workflow.ts';

const schema = z
  .strictObject({
    host: ruled(SHARED_RULES.host.host, 'the registry host').optional(),
    namespace: ruled(SHARED_RULES.names.repository, 'the registry namespace').optional(),
  })
  .prefault({})
  .meta({ description: 'self-hosted registry defaults for scripts/push-registry.sh' });

export const registry = {
  id: 'registry',
  label: 'Self-hosted registry',
  schema,
  flags: [
    { flag: 'registry-host', setting: 'host', description: 'host[:port] of the self-hosted registry (REGISTRY_HOST)' },
    { flag: 'registry-namespace', setting: 'namespace', description: 'path prefix in the self-hosted registry (REGISTRY_NAMESPACE)' },
  ],
  rules: {},
  imageRule: 'repository',
  variables: (s) => [
    variable('REGISTRY_HOST', t('host[:port] of the registry', '레지스트리의 host[:port]'), { value: s.host, required: true, example: 'registry.example.com' }),
    variable('REGISTRY_NAMESPACE', t('optional path prefix inside the registry', '레지스트리 안의 경로 접두사 (선택)'), { value: s.namespace }),
    variable('REGISTRY_USERNAME', t('the user name to log in with', '로그인할 사용자 이름'), { required: true, example: 'ci' }),
    variable('REGISTRY_PASSWORD', t('the password or token', '비밀번호 또는 토큰'), { required: true, secret: true }),
  ],
  repository: (s, image) => `${s.host ?? '<REGISTRY_HOST>'}/${s.namespace ? `${s.namespace}/` : ''}${image}`,
  ci: (s) => [
    ciSetting('REGISTRY_HOST', t('host[:port] of the registry', '레지스트리의 host[:port]'), { value: s.host }),
    ciSetting('REGISTRY_NAMESPACE', t('path prefix inside the registry', '레지스트리 안의 경로 접두사'), { required: false, value: s.namespace }),
    ciSetting('REGISTRY_USERNAME', t('the user name', '사용자 이름')),
    ciSetting('REGISTRY_PASSWORD', t('the password or token', '비밀번호 또는 토큰'), { secret: true }),
  ],
  workflow: (value) => ({
    env: {
      REGISTRY_HOST: varOr('REGISTRY_HOST', value('REGISTRY_HOST')),
      REGISTRY_NAMESPACE: varOr('REGISTRY_NAMESPACE', value('REGISTRY_NAMESPACE')),
    },
    check: [
      ['REGISTRY_HOST', 'env.REGISTRY_HOST'],
      ['REGISTRY_USERNAME', 'vars.REGISTRY_USERNAME'],
      ['REGISTRY_PASSWORD', 'secrets.REGISTRY_PASSWORD'],
    ],
    steps: [
      {
        name: 'Log in to the registry',
        uses: ACTIONS.login,
        with: { registry: expr('env.REGISTRY_HOST'), username: expr('vars.REGISTRY_USERNAME'), password: expr('secrets.REGISTRY_PASSWORD') },
      },
      {
        name: 'Repository',
        id: 'repo',
        run: block(['echo "repository=$REGISTRY_HOST/${REGISTRY_NAMESPACE:+$REGISTRY_NAMESPACE/}$IMAGE" >> "$GITHUB_OUTPUT"']),
      },
    ],
    images: expr('steps.repo.outputs.repository'),
  }),
} satisfies RegistryTargetModule<'registry', z.output<typeof schema>>;
