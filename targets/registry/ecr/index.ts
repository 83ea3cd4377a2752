// Amazon ECR: scripts/push-ecr.sh logs in with `aws ecr get-login-password`, creates the
// repository when it is missing and pushes ACCOUNT.dkr.ecr.REGION.amazonaws.com/IMAGE.
import * as z from 'zod';
import { ruled, type Rule } from '../rules.ts';
import { ciSetting, t, variable } from '../shared.ts';
import type { RegistryTargetModule } from '../types.ts';
import { block, expr, varOr } from '../workflow.ts';

const AWS_REGION = '[a-z]{2}(-[a-z]+)+-[0-9]{1,2}';

/** ECR repository names (stricter than OCI: single separators only). */
const ecrRepository: Rule = {
  pattern: '([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*',
  min: 2,
  max: 256,
  text: 'an ECR repository name: lowercase letters and digits, single ".", "_" or "-" between them, "/"-separated parts, 2 to 256 characters',
};

/** The hosts the ECR login token may go to (lowercase: scripts lowercase a host before checking it). */
const ecrHost: Rule = {
  pattern: `[0-9]{12}\\.(dkr\\.ecr(-fips)?\\.${AWS_REGION}\\.amazonaws\\.com(\\.cn)?|dkr-ecr(-fips)?\\.${AWS_REGION}\\.on\\.aws)`,
  min: 1,
  max: 253,
  text: 'an Amazon ECR host: ACCOUNT.dkr.ecr.REGION.amazonaws.com (.com.cn in China), ACCOUNT.dkr.ecr-fips.REGION.amazonaws.com (FIPS), or ACCOUNT.dkr-ecr[-fips].REGION.on.aws (dual-stack)',
};

const awsRegion: Rule = {
  pattern: AWS_REGION,
  min: 1,
  max: 32,
  text: 'an AWS region, such as eu-west-1 or us-gov-west-1',
};

const awsAccountId: Rule = { pattern: '[0-9]{12}', min: 12, max: 12, text: 'an AWS account ID: 12 digits' };

/** Actions the workflow uses besides the shared ones. */
const actions = {
  aws: 'aws-actions/configure-aws-credentials@v6',
  ecrLogin: 'aws-actions/amazon-ecr-login@v2',
} as const;

const schema = z
  .strictObject({
    region: ruled(awsRegion, 'the AWS region').optional(),
    accountId: ruled(awsAccountId, 'the AWS account ID').optional(),
  })
  .prefault({})
  .meta({ description: 'Amazon ECR defaults for scripts/push-ecr.sh' });

export const ecr = {
  id: 'ecr',
  label: 'Amazon ECR',
  schema,
  flags: [
    { flag: 'ecr-region', setting: 'region', description: 'AWS region of the ECR registry (AWS_REGION)' },
    { flag: 'ecr-account-id', setting: 'accountId', description: 'AWS account ID of the ECR registry (default at run time: aws sts get-caller-identity)' },
  ],
  rules: { names: { ecrRepository }, host: { ecrHost }, settings: { awsRegion, awsAccountId } },
  imageRule: 'ecrRepository',
  hostOverride: {
    prefix: 'ECR',
    rule: 'ecrHost',
    computed: t('ACCOUNT.dkr.ecr.REGION.amazonaws.com', 'ACCOUNT.dkr.ecr.REGION.amazonaws.com'),
    example: t('a FIPS or dual-stack endpoint', 'FIPS 또는 듀얼 스택 엔드포인트'),
    credential: t('the ECR login token (aws ecr get-login-password)', 'ECR 로그인 토큰 (aws ecr get-login-password)'),
  },
  actions,
  variables: (s) => [
    variable('AWS_REGION', t('the AWS region of the registry', '레지스트리의 AWS 리전'), { value: s.region, required: true, example: 'eu-west-1' }),
    variable('AWS_ACCOUNT_ID', t('the 12-digit AWS account ID that owns the registry', '레지스트리를 소유한 12자리 AWS 계정 ID'), {
      value: s.accountId,
      fallback: t('`aws sts get-caller-identity`', '`aws sts get-caller-identity`의 결과'),
    }),
  ],
  repository: (s, image) => {
    const domain = s.region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `${s.accountId ?? '<AWS_ACCOUNT_ID>'}.dkr.ecr.${s.region ?? '<AWS_REGION>'}.${domain}/${image}`;
  },
  ci: (s) => [
    ciSetting('AWS_ROLE_ARN', t('the IAM role the workflow assumes through OIDC', '워크플로가 OIDC로 맡을 IAM 역할')),
    ciSetting('AWS_REGION', t('the region of the registry', '레지스트리 리전'), { value: s.region }),
  ],
  workflow: (value) => ({
    permissions: { 'id-token': 'write' },
    env: { AWS_REGION: varOr('AWS_REGION', value('AWS_REGION')) },
    check: [
      ['AWS_ROLE_ARN', 'vars.AWS_ROLE_ARN'],
      ['AWS_REGION', 'env.AWS_REGION'],
    ],
    steps: [
      {
        name: 'Sign in to AWS (OIDC, no stored keys)',
        uses: actions.aws,
        with: { 'role-to-assume': expr('vars.AWS_ROLE_ARN'), 'aws-region': expr('env.AWS_REGION') },
      },
      { name: 'Log in to Amazon ECR', id: 'ecr', uses: actions.ecrLogin },
      {
        name: 'Create the repository if missing',
        run: block([
          'aws ecr describe-repositories --repository-names "$IMAGE" >/dev/null 2>&1 ||',
          '  aws ecr create-repository --repository-name "$IMAGE" --image-scanning-configuration scanOnPush=true >/dev/null',
        ]),
      },
    ],
    images: expr("format('{0}/{1}', steps.ecr.outputs.registry, env.IMAGE)"),
  }),
} satisfies RegistryTargetModule<'ecr', z.output<typeof schema>>;
