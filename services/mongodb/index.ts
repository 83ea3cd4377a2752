// MongoDB: the official image's mongodb user (999) from the start (its /data/db, and so a
// new volume, is that user's: no capability needed), a read-only root, its data on a named
// volume. The root user's password reaches the image through MONGO_INITDB_ROOT_PASSWORD_FILE;
// the app's own user (readWrite on its database only) is made on the first start by
// mongodb/init/00-app-user.js from secrets/mongodb_password. The app gets MONGODB_URI (no password).
import type { RenderedFile } from '../../core/rendered.ts';
import { renderTemplate } from '../../core/templates.ts';
import { catalogDeploy, catalogModule, hardened, randomSecret } from '../catalog/index.ts';
import type { FilesContext, ServiceModel } from '../types.ts';
import { MONGODB_PORT, MongodbSpec } from './schema.ts';

export const MONGODB_INIT_DIR = 'mongodb/init';
export const MONGODB_APP_USER_FILE = '00-app-user.js';
export const MONGODB_DATABASE = 'app';
export const MONGODB_USER = 'app';
export const MONGODB_DATA_DIR = '/data/db';

export function deriveMongodb(spec: MongodbSpec): ServiceModel {
  const environment = {
    MONGO_INITDB_ROOT_USERNAME: 'root',
    MONGO_INITDB_ROOT_PASSWORD_FILE: '/run/secrets/mongodb_root_password',
    MONGO_INITDB_DATABASE: MONGODB_DATABASE,
    // Read by mongodb/init/00-app-user.js on the first start.
    APP_MONGODB_USER: MONGODB_USER,
    APP_MONGODB_PASSWORD_FILE: '/run/secrets/mongodb_password',
  };
  const url = `mongodb://${MONGODB_USER}@mongodb:${MONGODB_PORT}/${MONGODB_DATABASE}`;
  return {
    module: 'mongodb',
    label: 'MongoDB',
    service: 'mongodb',
    image: spec.image,
    runAs: '999:999',
    command: undefined,
    environment,
    secrets: ['mongodb_root_password', 'mongodb_password'],
    volumes: [{ name: spec.volume, target: MONGODB_DATA_DIR }],
    binds: [{ source: `./${MONGODB_INIT_DIR}`, target: '/docker-entrypoint-initdb.d', files: [MONGODB_APP_USER_FILE] }],
    port: MONGODB_PORT,
    expose: false,
    // mongosh ships in the image; ping needs no login. HOME=/tmp keeps its logs out of the data folder.
    healthcheck: {
      test: ['CMD-SHELL', `HOME=/tmp exec mongosh --quiet --norc --eval 'quit(db.adminCommand({ ping: 1 }).ok === 1 ? 0 : 1)'`],
      startPeriod: '60s',
      startInterval: '1s',
      timeout: '10s',
    },
    ...hardened(spec.hardening),
    app: {
      environment: { MONGODB_URI: url, MONGODB_PASSWORD_FILE: '/run/secrets/mongodb_password' },
      secrets: ['mongodb_password'],
      urls: [{ variable: 'MONGODB_URI', url, passwordSecret: 'mongodb_password' }],
    },
    secretModels: [randomSecret('mongodb_password'), randomSecret('mongodb_root_password')],
    docs: 'services/mongodb/readme',
    deploy: catalogDeploy({
      uid: 999,
      environment,
      dataDir: MONGODB_DATA_DIR,
      scratch: ['/tmp', '/data/configdb'],
      resources: { limits: ['1', '1Gi'], requests: ['100m', '256Mi'] },
      livenessDelay: 60,
    }),
  };
}

export const mongodb = catalogModule<MongodbSpec>({
  id: 'mongodb',
  label: 'MongoDB',
  summary: 'MongoDB, a document database: MONGODB_URI',
  schema: MongodbSpec,
  managed: { ecs: 'Amazon DocumentDB (or MongoDB Atlas)', aca: 'Azure Cosmos DB for MongoDB (or MongoDB Atlas)' },
  derive: deriveMongodb,
  files: (service: ServiceModel, context: FilesContext): RenderedFile[] => [
    { path: `${MONGODB_INIT_DIR}/${MONGODB_APP_USER_FILE}`, content: renderTemplate('services/mongodb/app-user.js.ejs', { ...context, service }), kind: 'generated' },
  ],
  paths: [/^mongodb\/init\/00-app-user\.js$/],
});
