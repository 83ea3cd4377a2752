// Azure Container Registry: scripts/push-acr.sh logs in with an `az acr login` token,
// creates the registry when it is missing (given a resource group) and pushes NAME.azurecr.io/IMAGE.
import * as z from 'zod';
import { ruled, type Rule } from '../rules.ts';
import { ciSetting, t, variable } from '../shared.ts';
import type { RegistryTargetModule } from '../types.ts';
import { block, expr, varOr } from '../workflow.ts';

/** The hosts the registry token may go to (lowercase: scripts lowercase a host before checking it). */
const acrHost: Rule = {
  pattern: '[a-z0-9]{5,50}\\.azurecr\\.(io|cn|us)',
  min: 1,
  max: 253,
  text: 'an Azure Container Registry host: NAME.azurecr.io (NAME.azurecr.cn and NAME.azurecr.us in the China and US Government clouds)',
};

const acrName: Rule = {
  pattern: '[A-Za-z0-9]{5,50}',
  min: 5,
  max: 50,
  text: 'an Azure Container Registry name: 5 to 50 letters and digits (no "-" or ".")',
};

const azureResourceGroup: Rule = {
  pattern: '[-A-Za-z0-9_.()]*[-A-Za-z0-9_()]',
  min: 1,
  max: 90,
  text: 'an Azure resource group name: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."',
};

/** Actions the workflow uses besides the shared ones. */
const actions = { azure: 'azure/login@v3' } as const;

const schema = z
  .strictObject({
    name: ruled(acrName, 'the ACR name').optional(),
    resourceGroup: ruled(azureResourceGroup, 'the Azure resource group').optional(),
  })
  .prefault({})
  .meta({ description: 'Azure Container Registry defaults for scripts/push-acr.sh' });

export const acr = {
  id: 'acr',
  label: 'Azure Container Registry',
  schema,
  flags: [
    { flag: 'acr-name', setting: 'name', description: 'Azure Container Registry name (ACR_NAME)' },
    { flag: 'acr-resource-group', setting: 'resourceGroup', description: 'Azure resource group to create the registry in when missing (AZURE_RESOURCE_GROUP)' },
  ],
  rules: { host: { acrHost }, settings: { acrName, azureResourceGroup } },
  imageRule: 'repository',
  hostOverride: {
    prefix: 'ACR',
    rule: 'acrHost',
    computed: t('the login server az acr show reports (NAME.azurecr.io)', 'az acr show가 알려 주는 로그인 서버 (NAME.azurecr.io)'),
    example: t('NAME.azurecr.cn or NAME.azurecr.us in a sovereign cloud', '국가별 클라우드의 NAME.azurecr.cn, NAME.azurecr.us'),
    credential: t('the registry token of az acr login --expose-token', 'az acr login --expose-token의 레지스트리 토큰'),
  },
  actions,
  variables: (s) => [
    variable('ACR_NAME', t('the registry name (5-50 letters and digits)', '레지스트리 이름 (영문자와 숫자 5-50자)'), { value: s.name, required: true, example: 'myregistry123' }),
    variable('AZURE_RESOURCE_GROUP', t('only to create the registry when it is missing', '레지스트리가 없을 때 만들 리소스 그룹 (생성할 때만 필요)'), {
      value: s.resourceGroup,
    }),
  ],
  // The login server is the lowercased name under azurecr.io.
  repository: (s, image) => `${s.name ? s.name.toLowerCase() : '<ACR_NAME>'}.azurecr.io/${image}`,
  ci: (s) => [
    ciSetting('AZURE_CLIENT_ID', t('the app registration or managed identity with a federated credential for this repository', '이 저장소용 페더레이션 자격 증명이 있는 앱 등록 또는 관리 ID')),
    ciSetting('AZURE_TENANT_ID', t('the Microsoft Entra tenant', 'Microsoft Entra 테넌트')),
    ciSetting('AZURE_SUBSCRIPTION_ID', t('the subscription of the registry', '레지스트리가 있는 구독')),
    ciSetting('ACR_NAME', t('the registry name', '레지스트리 이름'), { value: s.name }),
    ciSetting('AZURE_RESOURCE_GROUP', t('only to create the registry when it is missing', '레지스트리가 없을 때 만들기 위해서만'), { required: false, value: s.resourceGroup }),
  ],
  workflow: (value) => ({
    permissions: { 'id-token': 'write' },
    env: {
      ACR_NAME: varOr('ACR_NAME', value('ACR_NAME')),
      AZURE_RESOURCE_GROUP: varOr('AZURE_RESOURCE_GROUP', value('AZURE_RESOURCE_GROUP')),
    },
    check: [
      ['AZURE_CLIENT_ID', 'vars.AZURE_CLIENT_ID'],
      ['AZURE_TENANT_ID', 'vars.AZURE_TENANT_ID'],
      ['AZURE_SUBSCRIPTION_ID', 'vars.AZURE_SUBSCRIPTION_ID'],
      ['ACR_NAME', 'env.ACR_NAME'],
    ],
    steps: [
      {
        name: 'Sign in to Azure (OIDC, no stored secrets)',
        uses: actions.azure,
        with: {
          'client-id': expr('vars.AZURE_CLIENT_ID'),
          'tenant-id': expr('vars.AZURE_TENANT_ID'),
          'subscription-id': expr('vars.AZURE_SUBSCRIPTION_ID'),
        },
      },
      {
        name: 'Create the registry if missing, log Docker in',
        id: 'acr',
        run: block([
          'if ! az acr show --name "$ACR_NAME" --output none 2>/dev/null; then',
          '  if [ -z "$AZURE_RESOURCE_GROUP" ]; then',
          '    echo "::error::the registry $ACR_NAME does not exist: set AZURE_RESOURCE_GROUP to create it"',
          '    exit 1',
          '  fi',
          '  az acr create --name "$ACR_NAME" --resource-group "$AZURE_RESOURCE_GROUP" --sku Basic --output none',
          'fi',
          'az acr login --name "$ACR_NAME"',
          'echo "server=$(az acr show --name "$ACR_NAME" --query loginServer --output tsv)" >> "$GITHUB_OUTPUT"',
        ]),
      },
    ],
    images: expr("format('{0}/{1}', steps.acr.outputs.server, env.IMAGE)"),
  }),
} satisfies RegistryTargetModule<'acr', z.output<typeof schema>>;
