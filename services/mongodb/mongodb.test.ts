// MongoDB: the mongodb user from the start, the root password through the image's _FILE
// variable, the app's own user made by mongodb/init/00-app-user.js on the first start.
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

describeCatalogService({
  kind: 'mongodb',
  label: 'MongoDB',
  image: 'mongo:8.0',
  user: '999:999',
  port: 27017,
  volume: { name: 'mongodb-data', target: '/data/db' },
  healthcheck: ['CMD-SHELL', `HOME=/tmp exec mongosh --quiet --norc --eval 'quit(db.adminCommand({ ping: 1 }).ok === 1 ? 0 : 1)'`],
  appEnvironment: { MONGODB_URI: 'mongodb://app@mongodb:27017/app', MONGODB_PASSWORD_FILE: '/run/secrets/mongodb_password' },
  appSecrets: ['mongodb_password'],
  appUrls: [{ variable: 'MONGODB_URI', url: 'mongodb://app@mongodb:27017/app', passwordSecret: 'mongodb_password' }],
  serviceSecrets: ['mongodb_root_password', 'mongodb_password'],
  secretFiles: ['secrets/mongodb_root_password', 'secrets/mongodb_password'],
  managed: { ecs: /DocumentDB/, aca: /Cosmos DB for MongoDB/ },
  compose: (service) => {
    expect(service['environment']).toEqual({
      MONGO_INITDB_ROOT_USERNAME: 'root',
      MONGO_INITDB_ROOT_PASSWORD_FILE: '/run/secrets/mongodb_root_password',
      MONGO_INITDB_DATABASE: 'app',
      APP_MONGODB_USER: 'app',
      APP_MONGODB_PASSWORD_FILE: '/run/secrets/mongodb_password',
    });
    expect(service['volumes']).toContain('./mongodb/init:/docker-entrypoint-initdb.d:ro');
  },
});

describe('mongodb: the first-start script', () => {
  it('makes the app user with readWrite on its database only, its password read from the secret file', () => {
    const model = deriveModel(resolveSpec([{ source: 'flags', values: { services: ['mongodb'] } }], { dirName: 'demo' }), { sampleApp: true });
    const file = renderAppFiles(model).find((f) => f.path === 'mongodb/init/00-app-user.js');
    expect(file?.kind).toBe('generated');
    expect(file?.content).toContain("readFileSync(process.env.APP_MONGODB_PASSWORD_FILE, 'utf8').trim()");
    expect(file?.content).toContain("roles: [{ role: 'readWrite', db: database }]");
    expect(file?.content).not.toMatch(/role: '(root|dbOwner|userAdmin)/);
    expect(file?.content).toContain('when the mongodb-data volume is\n// new');
  });
});
