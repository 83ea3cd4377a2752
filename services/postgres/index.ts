// PostgreSQL, as the official image runs it (its entrypoint's POSTGRES_* variables,
// /var/lib/postgresql/data, uid 999). The superuser `postgres` administers it (password
// in secrets/db_admin_password); the app connects as its own role, made by
// db/init/00-app-user.sh on the first start: it owns the app's database and is no superuser.
import { shellWord } from '../../core/shell.ts';
import { databaseModule } from '../database/index.ts';

export const postgres = databaseModule({
  id: 'postgres',
  label: 'PostgreSQL',
  defaultImage: 'postgres:17-trixie',
  dataDir: '/var/lib/postgresql/data',
  port: 5432,
  secrets: ['db_password', 'db_admin_password'],
  environment: (db) => ({
    POSTGRES_DB: db.name,
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD_FILE: '/run/secrets/db_admin_password',
    // Read by db/init/00-app-user.sh, which makes the app's role on the first start.
    APP_DB_USER: db.user,
    APP_DB_PASSWORD_FILE: '/run/secrets/db_password',
  }),
  healthcheck: ['CMD-SHELL', 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}" -h 127.0.0.1 || exit 1'],
  urlScheme: 'postgres',
  sampleClient: { variant: 'pg', dependencies: { pg: '^8.23.1' } },
  // As the superuser: the image trusts connections over its local socket.
  tools: (db) => ({
    dumpTool: 'pg_dump',
    dump: `pg_dump -U postgres -d ${shellWord(db.name)} --clean --if-exists`,
    client: `psql -U postgres -d ${shellWord(db.name)} -v ON_ERROR_STOP=1 --quiet`,
    countHits: `psql -U postgres -d ${shellWord(db.name)} -tAc 'SELECT count(*) FROM hits'`,
    setPassword: `printf 'ALTER ROLE "%s" PASSWORD '\\''%s'\\'';\\n' ${shellWord(db.user)} "$NEW_PASSWORD"`,
  }),
  initFiles: [
    {
      name: '00-app-user.sh',
      template: 'services/postgres/app-user.sh.ejs',
      executable: true,
      en: "makes the app's role (no superuser), owner of the database",
      ko: '앱의 역할(슈퍼유저 아님)을 만들고 데이터베이스 소유자로 지정',
    },
    { name: '10-sample-hits.sql', template: 'services/postgres/sample-hits.sql.ejs', sample: true, en: "the sample app's table, one row per hit", ko: '샘플 앱의 테이블, 방문마다 한 행' },
  ],
  scratch: ['/var/run/postgresql'],
  // A volume's root holds lost+found on most block storage: PostgreSQL wants an empty folder.
  deployEnvironment: (_db, dataDir) => ({ PGDATA: `${dataDir}/pgdata` }),
});
