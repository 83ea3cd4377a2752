// Azure Container Registry: what describeRegistryTarget (test/unit/helpers/registry.ts)
// checks, with this target's expectations, and the login server az reports.
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../../schema/registry.ts';
import { FAKE_CLOUD_TOKENS } from '../../../test/unit/helpers/fake-bin.ts';
import { CLOUD_ENV, describeRegistryTarget, project, runScript } from '../../../test/unit/helpers/registry.ts';
import { acr } from './index.ts';

describeRegistryTarget('acr', {
  refused: [
    ['registries.acr.name', { acr: { name: 'my-reg' } }, '5 to 50 letters and digits'],
    ['registries.acr.name', { acr: { name: 'abcd' } }, '5 to 50 letters and digits'],
    ['registries.acr.resourceGroup', { acr: { resourceGroup: 'rg.' } }, 'resource group'],
  ],
  dryRun: [
    '+ az acr show --name MyRegistry1 --query loginServer --output tsv',
    '+ az acr create --name MyRegistry1 --resource-group rg-apps --sku Basic --query loginServer --output tsv   # only when the lookup above fails',
    '+ az acr login --name MyRegistry1 --expose-token --output tsv --query accessToken | docker login --username 00000000-0000-0000-0000-000000000000 --password-stdin myregistry1.azurecr.io',
    '+ docker compose --project-name demo build app',
    '+ docker tag demo-app myregistry1.azurecr.io/demo:v1.2.3',
    '+ docker tag demo-app myregistry1.azurecr.io/demo:latest',
    '+ docker push myregistry1.azurecr.io/demo:v1.2.3',
    '+ docker push myregistry1.azurecr.io/demo:latest',
    'would push myregistry1.azurecr.io/demo:v1.2.3',
    'would push myregistry1.azurecr.io/demo:latest',
  ],
  defaults: { settings: { name: 'AcmeProd01', resourceGroup: 'rg-prod' }, repository: 'acmeprod01.azurecr.io/shop-api' },
  badSettings: [
    [{ ACR_NAME: 'my-registry' }, 'ACR_NAME=my-registry is not valid: it must be an Azure Container Registry name: 5 to 50 letters and digits'],
    [{ ACR_NAME: 'abcd' }, 'ACR_NAME=abcd is not valid'],
    [{ ACR_NAME: 'a'.repeat(51) }, 'ACR_NAME='],
    [{ AZURE_RESOURCE_GROUP: 'rg.' }, 'AZURE_RESOURCE_GROUP=rg. is not valid'],
  ],
  missing: ['ACR_NAME'],
  credential: {
    host: 'myregistry1.azurecr.io',
    user: '00000000-0000-0000-0000-000000000000',
    secret: FAKE_CLOUD_TOKENS.az,
    variable: 'ACR_REGISTRY_HOST',
    rule: 'acrHost',
    credential: 'the registry token of az acr login --expose-token',
    otherHosts: [[{ ACR_REGISTRY_HOST: 'MyRegistry1.azurecr.us' }, 'MyRegistry1.azurecr.us/demo']],
  },
  workflow: { permissions: { contents: 'read', 'id-token': 'write' }, uses: [acr.actions.azure], secrets: false },
});

describe('acr: the login server', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ registries: { targets: ['acr'] } }).dir;
  });

  it('without AZURE_RESOURCE_GROUP: no create, the computed login server', () => {
    const env = { ...CLOUD_ENV };
    delete env['AZURE_RESOURCE_GROUP'];
    const r = runScript(dir, 'acr', ['-n'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('az acr create');
    expect(r.stderr).toBe('push-acr.sh: when az acr show finds no registry MyRegistry1: assuming myregistry1.azurecr.io (set AZURE_RESOURCE_GROUP to create it)\n');
    expect(r.stdout).toContain('would push myregistry1.azurecr.io/demo:v1.2.3\n');
  });

  it('a login server az reports outside azurecr is refused too, before docker login', () => {
    const r = runScript(dir, 'acr', [], { ...CLOUD_ENV, FAKE_ACR_SERVER: 'evil.example' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.calls).toBe('az [acr] [show] [--name] [MyRegistry1] [--query] [loginServer] [--output] [tsv]\n');
    expect(r.stderr).toContain(`  - the login server az reported=evil.example is not valid: it must be ${RULES.acrHost.text}\n`);
  });
});
