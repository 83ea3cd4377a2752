// Mailpit: nobody, no volume, the image's own health check; the UI behind a derived login.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { composeObject } from '../../core/render/compose.ts';
import { resolveSpec } from '../../core/spec.ts';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

describeCatalogService({
  kind: 'mailpit',
  label: 'Mailpit',
  image: 'axllent/mailpit:v1.27',
  user: '65534:65534',
  port: 1025,
  volume: undefined,
  healthcheck: ['CMD', '/mailpit', 'readyz'],
  appEnvironment: { SMTP_HOST: 'mailpit', SMTP_PORT: '1025' },
  appSecrets: [],
  serviceSecrets: [],
  secretFiles: [],
  ui: { port: 8025, hostPort: 8025 },
  managed: { ecs: /Amazon SES/, aca: /Azure Communication Services Email/ },
  compose: (service) => {
    expect(service['environment']).toBeUndefined();
    expect(service['tmpfs']).toEqual(['/tmp']);
  },
});

describe('mailpit: the web UI login', () => {
  it('ui: true gets a generated password and an htpasswd file holding its SHA-1, both on this machine only', () => {
    const spec = resolveSpec([{ source: 'answers.yaml', values: { services: [{ kind: 'mailpit', ui: true }] } }], { dirName: 'demo' });
    const model = deriveModel(spec, { sampleApp: true });
    const service = (composeObject(model) as Record<string, any>)['services']['mailpit'];
    expect(service.environment).toEqual({ MP_UI_AUTH_FILE: '/run/secrets/mailpit_ui_auth' });
    expect(service.secrets).toEqual(['mailpit_ui_auth']);
    const secrets = model.secrets.filter((s) => s.name.startsWith('mailpit'));
    expect(secrets.map((s) => [s.name, s.localOnly])).toEqual([['mailpit_ui_password', true], ['mailpit_ui_auth', true]]);
    const sha = createHash('sha1').update('x'.repeat(43)).digest('base64');
    expect(sha).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });
});
