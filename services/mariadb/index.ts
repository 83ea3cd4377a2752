// MariaDB, as the official image runs it (its healthcheck.sh, MARIADB_* variables).
import { databaseModule } from '../database/index.ts';
import { mysqlFamily } from '../database/mysql-family.ts';

export const mariadb = databaseModule(
  mysqlFamily({
    id: 'mariadb',
    label: 'MariaDB',
    defaultImage: 'mariadb:11.8',
    prefix: 'MARIADB',
    client: 'mariadb',
    dumpTool: 'mariadb-dump',
    healthcheck: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
  }),
);
