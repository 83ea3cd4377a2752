// Mailpit, a mail catcher for development: SMTP on 1025 for the app (no login, Mailpit's
// default), the caught mail in a temporary database under /tmp (no volume: nothing survives
// a restart, as Mailpit keeps it by default), run as nobody with a read-only root. Its web
// UI, when asked (`ui: true`), is published on 127.0.0.1 only, behind a login whose password
// file is derived from secrets/mailpit_ui_password ({SHA} htpasswd: never the password).
import { UNPRIVILEGED_USER } from '../../schema/fields.ts';
import { catalogDeploy, catalogModule, hardened, randomSecret, uiPublish } from '../catalog/index.ts';
import type { SecretModel, ServiceModel } from '../types.ts';
import { MAILPIT_SMTP_PORT, MAILPIT_UI_PORT, MailpitSpec } from './schema.ts';

export const MAILPIT_UI_USER = 'admin';

function secrets(spec: MailpitSpec): SecretModel[] {
  if (!spec.ui) return [];
  return [
    // The browser's login: on this machine only.
    randomSecret('mailpit_ui_password', true),
    {
      name: 'mailpit_ui_auth',
      file: 'secrets/mailpit-ui.htpasswd',
      localOnly: true,
      source: {
        kind: 'derived',
        what: { en: 'the Mailpit UI login (htpasswd: its SHA-1, not the password)', ko: 'Mailpit UI 로그인 (htpasswd: 비밀번호가 아닌 SHA-1)' },
        parts: [`${MAILPIT_UI_USER}:`, { secret: 'mailpit_ui_password', encode: 'sha1-base64' }, '\n'],
      },
    },
  ];
}

export function deriveMailpit(spec: MailpitSpec): ServiceModel {
  return {
    module: 'mailpit',
    label: 'Mailpit',
    service: 'mailpit',
    image: spec.image,
    runAs: UNPRIVILEGED_USER,
    command: undefined,
    environment: spec.ui ? { MP_UI_AUTH_FILE: '/run/secrets/mailpit_ui_auth' } : {},
    secrets: spec.ui ? ['mailpit_ui_auth'] : [],
    volumes: [],
    binds: [],
    port: MAILPIT_SMTP_PORT,
    expose: false,
    // The image's own health check (its /readyz needs no login).
    healthcheck: { test: ['CMD', '/mailpit', 'readyz'], startPeriod: '10s' },
    ...hardened(spec.hardening),
    ...uiPublish(spec, MAILPIT_UI_PORT, 'the Mailpit web UI'),
    app: { environment: { SMTP_HOST: 'mailpit', SMTP_PORT: String(MAILPIT_SMTP_PORT) }, secrets: [] },
    secretModels: secrets(spec),
    docs: 'services/mailpit/readme',
    deploy: catalogDeploy({
      uid: 65534,
      scratch: ['/tmp'],
      resources: { limits: ['250m', '256Mi'], requests: ['25m', '32Mi'] },
      livenessDelay: 10,
    }),
  };
}

export const mailpit = catalogModule<MailpitSpec>({
  id: 'mailpit',
  label: 'Mailpit',
  summary: 'Mailpit, a mail catcher for development: SMTP_HOST, SMTP_PORT (ui: the web UI on 127.0.0.1)',
  schema: MailpitSpec,
  managed: { ecs: 'Amazon SES (a mail catcher is for development)', aca: 'Azure Communication Services Email (a mail catcher is for development)' },
  derive: deriveMailpit,
});
