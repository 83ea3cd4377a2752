// A self-hosted registry: what describeRegistryTarget (test/unit/helpers/registry.ts) checks,
// with this target's expectations, and REGISTRY_HOST, which only this script reads.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.ts';
import { flagsLayer, resolveSpec } from '../../../core/spec.ts';
import { describeRegistryTarget, FULL_ENV, loginsOf, project, runScript, SECRETS } from '../../../test/unit/helpers/registry.ts';
import { ACTIONS } from '../workflow.ts';

describeRegistryTarget('registry', {
  refused: [
    ['registries.registry.host', { registry: { host: 'registry' } }, 'Docker Hub namespace'],
    ['registries.registry.host', { registry: { host: 'myreg:99999' } }, 'must have a port from 1 to 65535'],
    ['registries.registry.host', { registry: { host: '127.0.0.1:0' } }, 'must have a port from 1 to 65535'],
    ['registries.registry.host', { registry: { host: '[::1]:65536' } }, 'must have a port from 1 to 65535'],
    ['registries.registry.namespace', { registry: { namespace: 'Team/' } }, 'lowercase'],
  ],
  dryRun: [
    `+ printf '%s\\n' "$REGISTRY_PASSWORD" | docker login --username ci --password-stdin registry.example.com:5000`,
    '+ docker compose --project-name demo build app',
    '+ docker tag demo-app registry.example.com:5000/demo:v1.2.3',
    '+ docker tag demo-app registry.example.com:5000/demo:latest',
    '+ docker push registry.example.com:5000/demo:v1.2.3',
    '+ docker push registry.example.com:5000/demo:latest',
    'would push registry.example.com:5000/demo:v1.2.3',
    'would push registry.example.com:5000/demo:latest',
  ],
  defaults: { settings: { host: 'registry.example.com', namespace: 'team/apps' }, repository: 'registry.example.com/team/apps/shop-api' },
  badSettings: [
    [{ REGISTRY_HOST: 'myregistry' }, 'REGISTRY_HOST=myregistry is not valid'],
    [{ REGISTRY_HOST: 'https://registry.example.com' }, 'REGISTRY_HOST=https://registry.example.com is not valid'],
    [{ REGISTRY_NAMESPACE: 'Team' }, 'REGISTRY_NAMESPACE=Team is not valid'],
    [{ REGISTRY_USERNAME: 'a b' }, "REGISTRY_USERNAME='a b' is not valid"],
    [{ REGISTRY_HOST: 'myreg:99999' }, 'REGISTRY_HOST=myreg:99999 is not valid: it must be a registry host with an optional port from 1 to 65535'],
    [{ REGISTRY_HOST: 'myreg:0' }, 'REGISTRY_HOST=myreg:0 is not valid'],
    [{ REGISTRY_HOST: '127.0.0.1:65536' }, 'REGISTRY_HOST=127.0.0.1:65536 is not valid'],
  ],
  missing: ['REGISTRY_HOST', 'REGISTRY_USERNAME', 'REGISTRY_PASSWORD'],
  workflow: { permissions: { contents: 'read' }, uses: [ACTIONS.login], secrets: true },
});

describe('registry: the host', () => {
  it('refuses a registry port outside 1..65535, naming the field, the flag, the value and the rule', () => {
    for (const [host, port] of [['myreg:99999', '99999'], ['registry.example.com:0', '0'], ['[::1]:65536', '65536'], ['10.0.0.1:05000', '05000']]) {
      try {
        resolveSpec([flagsLayer({ 'registry-host': host })], { dirName: 'demo' });
        expect.unreachable(host);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).problems).toEqual([
          {
            field: 'registries.registry.host',
            source: '--registry-host',
            value: host,
            rule: `the registry host must have a port from 1 to 65535, written without leading zeros (${port} is not one)`,
          },
        ]);
      }
    }
    expect(resolveSpec([flagsLayer({ 'registry-host': 'myreg:65535' })], { dirName: 'demo' }).registries.registry.host).toBe('myreg:65535');
  });

  it('push-registry.sh is the one script that reads REGISTRY_HOST: its password goes there', () => {
    const { dir } = project({ registries: { targets: ['registry'] } });
    const r = runScript(dir, 'registry', [], FULL_ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(loginsOf(r.calls)).toEqual([{ argv: 'docker [login] [--username] [ci] [--password-stdin] [registry.example.com:5000]', stdin: `stdin [${SECRETS[2]}]` }]);
  });

  it('REGISTRY_NAMESPACE set but empty drops the generation-time namespace', () => {
    const { dir } = project({ projectName: 'shop', registries: { targets: ['registry'], image: 'shop-api', registry: { host: 'registry.example.com', namespace: 'team/apps' } } });
    const r = runScript(dir, 'registry', ['-n'], { IMAGE_TAG: '7', REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'x', REGISTRY_NAMESPACE: '' });
    expect(r.stdout).toContain('would push registry.example.com/shop-api:7\n');
  });
});
