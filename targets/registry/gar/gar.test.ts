// Google Artifact Registry: what describeRegistryTarget (test/unit/helpers/registry.ts)
// checks, with this target's expectations, and its alias: "gcr" means gar, with one notice line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { flagsLayer } from '../../../core/spec.ts';
import { registryNotices } from '../../../schema/registry.ts';
import { ensureBuilt, runCli } from '../../../test/unit/helpers/cli.ts';
import { FAKE_CLOUD_TOKENS } from '../../../test/unit/helpers/fake-bin.ts';
import { describeRegistryTarget, project, runScript, tempDir } from '../../../test/unit/helpers/registry.ts';
import { gar, GCR_NOTICE } from './index.ts';

describeRegistryTarget('gar', {
  refused: [
    ['registries.gar.project', { gar: { project: 'Proj' } }, 'project ID'],
    ['registries.gar.location', { gar: { location: 'europe west4' } }, 'location'],
    ['registries.gar.repository', { gar: { repository: 'Repo-' } }, 'repository ID'],
  ],
  dryRun: [
    '+ gcloud auth print-access-token | docker login --username oauth2accesstoken --password-stdin europe-west4-docker.pkg.dev',
    '+ gcloud artifacts repositories describe apps --project my-proj-42 --location europe-west4',
    '+ gcloud artifacts repositories create apps --project my-proj-42 --location europe-west4 --repository-format docker   # only when the lookup above fails',
    '+ docker compose --project-name demo build app',
    '+ docker tag demo-app europe-west4-docker.pkg.dev/my-proj-42/apps/demo:v1.2.3',
    '+ docker tag demo-app europe-west4-docker.pkg.dev/my-proj-42/apps/demo:latest',
    '+ docker push europe-west4-docker.pkg.dev/my-proj-42/apps/demo:v1.2.3',
    '+ docker push europe-west4-docker.pkg.dev/my-proj-42/apps/demo:latest',
    'would push europe-west4-docker.pkg.dev/my-proj-42/apps/demo:v1.2.3',
    'would push europe-west4-docker.pkg.dev/my-proj-42/apps/demo:latest',
  ],
  defaults: { settings: { project: 'example.com:my-project', location: 'us', repository: 'containers' }, repository: 'us-docker.pkg.dev/example.com/my-project/containers/shop-api' },
  badSettings: [
    [{ GAR_REGISTRY_HOST_ALLOW_FOREIGN: 'yes' }, 'GAR_REGISTRY_HOST_ALLOW_FOREIGN=yes is not valid: it must be 0 or 1'],
    [{ GOOGLE_CLOUD_PROJECT: 'My-Project' }, 'GOOGLE_CLOUD_PROJECT=My-Project is not valid'],
    [{ GOOGLE_CLOUD_PROJECT: 'abc' }, 'GOOGLE_CLOUD_PROJECT=abc is not valid'],
    [{ GAR_LOCATION: 'Europe-West4' }, 'GAR_LOCATION=Europe-West4 is not valid'],
    [{ GAR_REPOSITORY: '1apps' }, 'GAR_REPOSITORY=1apps is not valid'],
  ],
  missing: ['GOOGLE_CLOUD_PROJECT', 'GAR_LOCATION', 'GAR_REPOSITORY'],
  credential: {
    host: 'europe-west4-docker.pkg.dev',
    user: 'oauth2accesstoken',
    secret: FAKE_CLOUD_TOKENS.gcloud,
    variable: 'GAR_REGISTRY_HOST',
    rule: 'garHost',
    credential: 'your Google Cloud access token (gcloud auth print-access-token)',
    otherHosts: [[{ GAR_REGISTRY_HOST: 'us-docker.pkg.dev' }, 'us-docker.pkg.dev/my-proj-42/apps/demo']],
  },
  workflow: { permissions: { contents: 'read', 'id-token': 'write' }, uses: [gar.actions.gcpAuth, gar.actions.gcloud], secrets: false },
});

describe('gar: settings', () => {
  it('environment variables win over generation-time answers', () => {
    const { dir } = project({ projectName: 'shop', registries: { targets: ['gar'], image: 'shop-api', gar: { project: 'example.com:my-project', location: 'us', repository: 'containers' } } });
    const r = runScript(dir, 'gar', ['-n'], { IMAGE_TAG: '7', GOOGLE_CLOUD_PROJECT: 'other-proj', GAR_LOCATION: 'asia-northeast3', IMAGE: 'web' });
    expect(r.stdout).toContain('would push asia-northeast3-docker.pkg.dev/other-proj/containers/web:7\n');
  });
});

describe('gcr means gar', () => {
  it('prints one notice line for gcr, and none otherwise', () => {
    expect(registryNotices([flagsLayer({ registry: 'ecr,gcr' })])).toEqual([GCR_NOTICE]);
    expect(registryNotices([{ values: { registries: { targets: ['gcr'] } } }])).toEqual([GCR_NOTICE]);
    expect(registryNotices([flagsLayer({ registry: 'gar' }), { values: {} }])).toEqual([]);
    expect(GCR_NOTICE).not.toContain('\n');
    expect(GCR_NOTICE).toMatch(/shut down in 2025.*Artifact Registry now serves gcr\.io/);
  });

  describe('wpsn-docker (the bin)', () => {
    beforeAll(() => ensureBuilt());

    it('gcr: one notice line, and the gar target is stored', () => {
      const dir = tempDir();
      const r = runCli(dir, ['--yes', '--registry', 'gcr']);
      expect(r.code, r.describe).toBe(0);
      expect(r.stderr).toBe(`wpsn-docker: ${GCR_NOTICE}\n`);
      expect(existsSync(join(dir, 'scripts/push-gar.sh'))).toBe(true);
      expect(existsSync(join(dir, 'scripts/push-gcr.sh'))).toBe(false);
      const state = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wpsn-docker'];
      expect(state.answers.registries.targets).toEqual(['gar']);
      const viaCommand = runCli(dir, ['registry', '--registry', 'gcr,ecr']);
      expect(viaCommand.code, viaCommand.describe).toBe(0);
      expect(viaCommand.stderr).toBe(`wpsn-docker: ${GCR_NOTICE}\n`);
      expect(runCli(dir, ['registry', '--yes']).stderr).toBe('');
    });
  });
});
