// Google Artifact Registry: scripts/push-gar.sh logs in with a gcloud access token, creates
// the repository when it is missing and pushes LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE.
// "gcr" is accepted for it: Container Registry (gcr.io) is served by Artifact Registry now.
import * as z from 'zod';
import { ruled, type Rule } from '../rules.ts';
import { ciSetting, t, variable } from '../shared.ts';
import type { RegistryTargetModule } from '../types.ts';
import { block, expr, varOr } from '../workflow.ts';

export const GCR_NOTICE =
  'gcr: Google Container Registry was shut down in 2025 and Artifact Registry now serves gcr.io, so "gcr" means the "gar" target (scripts/push-gar.sh)';

const GAR_LOCATION = '[a-z]+(-[a-z]+[0-9]+)?';

/** The hosts the Google Cloud access token may go to (lowercase: scripts lowercase a host before checking it). */
const garHost: Rule = {
  pattern: `${GAR_LOCATION}-docker\\.pkg\\.dev`,
  min: 1,
  max: 253,
  text: 'an Artifact Registry host: LOCATION-docker.pkg.dev, such as europe-west4-docker.pkg.dev',
};

const gcpProject: Rule = {
  pattern: '([a-z0-9][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]',
  min: 6,
  max: 100,
  text: 'a Google Cloud project ID: 6 to 30 lowercase letters, digits and "-", starting with a letter, not ending with "-" (optionally domain-scoped, such as example.com:my-project)',
};

const garLocation: Rule = {
  pattern: GAR_LOCATION,
  min: 2,
  max: 40,
  text: 'an Artifact Registry location, such as europe-west4, us-central1 or the multi-region us',
};

const garRepository: Rule = {
  pattern: '[a-z]([a-z0-9-]*[a-z0-9])?',
  min: 1,
  max: 63,
  text: 'an Artifact Registry repository ID: lowercase letters, digits and "-", starting with a letter, not ending with "-", at most 63 characters',
};

/** Actions the workflow uses besides the shared ones. */
const actions = {
  gcpAuth: 'google-github-actions/auth@v3',
  gcloud: 'google-github-actions/setup-gcloud@v3',
} as const;

const schema = z
  .strictObject({
    project: ruled(gcpProject, 'the Google Cloud project').optional(),
    location: ruled(garLocation, 'the Artifact Registry location').optional(),
    repository: ruled(garRepository, 'the Artifact Registry repository').optional(),
  })
  .prefault({})
  .meta({ description: 'Google Artifact Registry defaults for scripts/push-gar.sh' });

export const gar = {
  id: 'gar',
  label: 'Google Artifact Registry',
  alias: { names: ['gcr'], notice: GCR_NOTICE },
  schema,
  flags: [
    { flag: 'gar-project', setting: 'project', description: 'Google Cloud project of the Artifact Registry repository (GOOGLE_CLOUD_PROJECT)' },
    { flag: 'gar-location', setting: 'location', description: 'Artifact Registry location, such as europe-west4 (GAR_LOCATION)' },
    { flag: 'gar-repository', setting: 'repository', description: 'Artifact Registry repository (GAR_REPOSITORY)' },
  ],
  rules: { host: { garHost }, settings: { gcpProject, garLocation, garRepository } },
  imageRule: 'repository',
  hostOverride: {
    prefix: 'GAR',
    rule: 'garHost',
    computed: t('GAR_LOCATION-docker.pkg.dev', 'GAR_LOCATION-docker.pkg.dev'),
    example: t('another location, such as us-docker.pkg.dev', '다른 위치 (예: us-docker.pkg.dev)'),
    credential: t('your Google Cloud access token (gcloud auth print-access-token)', 'Google Cloud 액세스 토큰 (gcloud auth print-access-token)'),
  },
  actions,
  variables: (s) => [
    variable('GOOGLE_CLOUD_PROJECT', t('the Google Cloud project ID', 'Google Cloud 프로젝트 ID'), { value: s.project, required: true, example: 'my-project' }),
    variable('GAR_LOCATION', t('the repository location, such as europe-west4', '저장소 위치 (예: asia-northeast3)'), { value: s.location, required: true, example: 'europe-west4' }),
    variable('GAR_REPOSITORY', t('the Artifact Registry repository (created when missing)', 'Artifact Registry 저장소 (없으면 생성)'), {
      value: s.repository,
      required: true,
      example: 'containers',
    }),
  ],
  // A domain-scoped project (example.com:my-project) is written example.com/my-project.
  repository: (s, image) =>
    `${s.location ?? '<GAR_LOCATION>'}-docker.pkg.dev/${s.project?.replace(':', '/') ?? '<GOOGLE_CLOUD_PROJECT>'}/${s.repository ?? '<GAR_REPOSITORY>'}/${image}`,
  ci: (s) => [
    ciSetting('GCP_WORKLOAD_IDENTITY_PROVIDER', t('projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER', 'projects/번호/locations/global/workloadIdentityPools/풀/providers/공급자')),
    ciSetting('GCP_SERVICE_ACCOUNT', t('the service account to impersonate (leave unset for direct federation)', '가장할 서비스 계정 (직접 페더레이션이면 비워 둠)'), { required: false }),
    ciSetting('GOOGLE_CLOUD_PROJECT', t('the project ID', '프로젝트 ID'), { value: s.project }),
    ciSetting('GAR_LOCATION', t('the repository location', '저장소 위치'), { value: s.location }),
    ciSetting('GAR_REPOSITORY', t('the repository', '저장소'), { value: s.repository }),
  ],
  workflow: (value) => ({
    permissions: { 'id-token': 'write' },
    env: {
      GOOGLE_CLOUD_PROJECT: varOr('GOOGLE_CLOUD_PROJECT', value('GOOGLE_CLOUD_PROJECT')),
      GAR_LOCATION: varOr('GAR_LOCATION', value('GAR_LOCATION')),
      GAR_REPOSITORY: varOr('GAR_REPOSITORY', value('GAR_REPOSITORY')),
    },
    check: [
      ['GCP_WORKLOAD_IDENTITY_PROVIDER', 'vars.GCP_WORKLOAD_IDENTITY_PROVIDER'],
      ['GOOGLE_CLOUD_PROJECT', 'env.GOOGLE_CLOUD_PROJECT'],
      ['GAR_LOCATION', 'env.GAR_LOCATION'],
      ['GAR_REPOSITORY', 'env.GAR_REPOSITORY'],
    ],
    steps: [
      {
        name: 'Sign in to Google Cloud (Workload Identity Federation, no stored keys)',
        uses: actions.gcpAuth,
        with: {
          workload_identity_provider: expr('vars.GCP_WORKLOAD_IDENTITY_PROVIDER'),
          service_account: expr('vars.GCP_SERVICE_ACCOUNT'),
          project_id: expr('env.GOOGLE_CLOUD_PROJECT'),
        },
      },
      { name: 'Set up gcloud', uses: actions.gcloud },
      {
        name: 'Create the repository if missing, log Docker in',
        id: 'gar',
        run: block([
          'gcloud artifacts repositories describe "$GAR_REPOSITORY" --project "$GOOGLE_CLOUD_PROJECT" --location "$GAR_LOCATION" >/dev/null 2>&1 ||',
          '  gcloud artifacts repositories create "$GAR_REPOSITORY" --project "$GOOGLE_CLOUD_PROJECT" --location "$GAR_LOCATION" --repository-format docker',
          'gcloud auth configure-docker "$GAR_LOCATION-docker.pkg.dev" --quiet',
          'echo "repository=$GAR_LOCATION-docker.pkg.dev/${GOOGLE_CLOUD_PROJECT/://}/$GAR_REPOSITORY" >> "$GITHUB_OUTPUT"',
        ]),
      },
    ],
    images: expr("format('{0}/{1}', steps.gar.outputs.repository, env.IMAGE)"),
  }),
} satisfies RegistryTargetModule<'gar', z.output<typeof schema>>;
