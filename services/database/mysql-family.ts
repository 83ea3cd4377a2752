// What MySQL and MariaDB share: the official images' MYSQL_*/MARIADB_* variables, a root
// password of their own, /var/lib/mysql, and tools run as root inside the container.
import { shellWord } from '../../core/shell.ts';
import type { DatabaseKind } from './index.ts';

export function mysqlFamily(options: { id: string; label: string; defaultImage: string; prefix: 'MYSQL' | 'MARIADB'; client: string; dumpTool: string; healthcheck: string[] }): DatabaseKind {
  const { prefix, client, dumpTool } = options;
  return {
    id: options.id,
    label: options.label,
    defaultImage: options.defaultImage,
    dataDir: '/var/lib/mysql',
    port: 3306,
    secrets: ['db_password', 'db_root_password'],
    environment: (db) => ({
      [`${prefix}_DATABASE`]: db.name,
      [`${prefix}_USER`]: db.user,
      [`${prefix}_PASSWORD_FILE`]: '/run/secrets/db_password',
      [`${prefix}_ROOT_PASSWORD_FILE`]: '/run/secrets/db_root_password',
    }),
    healthcheck: options.healthcheck,
    urlScheme: 'mysql',
    sampleClient: { variant: 'mysql2', dependencies: { mysql2: '^3.25.0' } },
    // As root, with the password read from the secret inside the container (MariaDB 11
    // images ship only the mariadb-* client names).
    tools: (db) => ({
      dumpTool,
      // The database name arrives as "$1": nothing of it is shell text.
      dump: `sh -c 'MYSQL_PWD="$(cat /run/secrets/db_root_password)" exec ${dumpTool} -u root --single-transaction "$1"' sh ${shellWord(db.name)}`,
      client: `sh -c 'MYSQL_PWD="$(cat /run/secrets/db_root_password)" exec ${client} -u root "$1"' sh ${shellWord(db.name)}`,
      countHits: `sh -c 'MYSQL_PWD="$(cat /run/secrets/db_root_password)" exec ${client} -u root -N -B -e "SELECT COUNT(*) FROM hits" "$1"' sh ${shellWord(db.name)}`,
      setPassword: `printf 'ALTER USER '\\''%s'\\''@'\\''%%'\\'' IDENTIFIED BY '\\''%s'\\'';\\n' ${shellWord(db.user)} "$NEW_PASSWORD"`,
    }),
    scratch: ['/var/run/mysqld'],
    // The official image makes the app's user with rights on its database only (no FILE, no SUPER).
    initFiles: [{ name: '10-sample-hits.sql', template: 'services/database/mysql-sample-hits.sql.ejs', sample: true, en: "the sample app's table, one row per hit", ko: '샘플 앱의 테이블, 방문마다 한 행' }],
  };
}
