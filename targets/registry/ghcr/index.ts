// GitHub Container Registry: scripts/push-ghcr.sh logs in with a token that has
// write:packages and pushes ghcr.io/OWNER/IMAGE (the owner lowercased).
import * as z from 'zod';
import { ruled, type Rule } from '../rules.ts';
import { ciSetting, t, variable } from '../shared.ts';
import type { RegistryTargetModule } from '../types.ts';
import { ACTIONS, block, expr, varOr } from '../workflow.ts';

/** The one host GITHUB_TOKEN may go to. */
const ghcrHost: Rule = { pattern: 'ghcr\\.io', min: 7, max: 7, text: 'the GitHub Container Registry host: ghcr.io' };

const githubOwner: Rule = {
  pattern: '[A-Za-z0-9]+(-[A-Za-z0-9]+)*',
  min: 1,
  max: 39,
  text: 'a GitHub user or organisation name: letters, digits and single "-" between them, at most 39 characters',
};

const schema = z
  .strictObject({ owner: ruled(githubOwner, 'the GHCR owner').optional() })
  .prefault({})
  .meta({ description: 'GitHub Container Registry defaults for scripts/push-ghcr.sh' });

export const ghcr = {
  id: 'ghcr',
  label: 'GitHub Container Registry',
  schema,
  flags: [{ flag: 'ghcr-owner', setting: 'owner', description: 'GitHub user or organisation owning the GHCR package (default at run time: GITHUB_REPOSITORY_OWNER)' }],
  rules: { host: { ghcrHost }, settings: { githubOwner } },
  imageRule: 'repository',
  hostOverride: {
    prefix: 'GHCR',
    rule: 'ghcrHost',
    computed: t('ghcr.io', 'ghcr.io'),
    example: t('only ghcr.io itself', 'ghcr.io 자신뿐'),
    credential: t('GITHUB_TOKEN', 'GITHUB_TOKEN'),
  },
  variables: (s) => [
    variable('GHCR_OWNER', t('the user or organisation that owns the package (lowercased in the reference)', '패키지를 소유한 사용자 또는 조직 (참조에서는 소문자)'), {
      value: s.owner,
      fallback: t('GITHUB_REPOSITORY_OWNER', 'GITHUB_REPOSITORY_OWNER'),
      required: true,
      example: 'your-org',
    }),
    variable('GITHUB_ACTOR', t('the GitHub user name to log in with', '로그인할 GitHub 사용자 이름'), { required: true, example: 'your-name' }),
    variable('GITHUB_TOKEN', t('a token with the write:packages scope (in Actions: secrets.GITHUB_TOKEN)', 'write:packages 권한이 있는 토큰 (Actions에서는 secrets.GITHUB_TOKEN)'), {
      required: true,
      secret: true,
    }),
  ],
  repository: (s, image) => `ghcr.io/${s.owner ? s.owner.toLowerCase() : '<GHCR_OWNER>'}/${image}`,
  ci: (s) => [
    ciSetting('GHCR_OWNER', t('the owner; the repository owner when unset', '소유자; 비어 있으면 저장소 소유자'), { required: false, value: s.owner }),
  ],
  workflow: (value) => ({
    permissions: { packages: 'write' },
    // Empty when neither is set: the owner step falls back to the repository owner.
    env: { GHCR_OWNER: varOr('GHCR_OWNER', value('GHCR_OWNER')) },
    steps: [
      {
        name: 'Owner, lowercased',
        id: 'owner',
        run: block(['owner="${GHCR_OWNER:-$GITHUB_REPOSITORY_OWNER}"', 'echo "owner=${owner,,}" >> "$GITHUB_OUTPUT"']),
      },
      {
        name: 'Log in to GitHub Container Registry',
        uses: ACTIONS.login,
        with: { registry: 'ghcr.io', username: expr('github.actor'), password: expr('secrets.GITHUB_TOKEN') },
      },
    ],
    images: expr("format('ghcr.io/{0}/{1}', steps.owner.outputs.owner, env.IMAGE)"),
  }),
} satisfies RegistryTargetModule<'ghcr', z.output<typeof schema>>;
