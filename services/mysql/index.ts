// MySQL, as the official image runs it. Not proven live here: no MySQL image or Debian
// package reaches these machines (README.md "Databases").
import { databaseModule } from '../database/index.ts';
import { mysqlFamily } from '../database/mysql-family.ts';

export const mysql = databaseModule(
  mysqlFamily({
    id: 'mysql',
    label: 'MySQL',
    defaultImage: 'mysql:8.4',
    prefix: 'MYSQL',
    client: 'mysql',
    dumpTool: 'mysqldump',
    healthcheck: ['CMD-SHELL', 'MYSQL_PWD="$$(cat /run/secrets/db_password)" mysqladmin ping -h 127.0.0.1 -u "$${MYSQL_USER}" --silent || exit 1'],
  }),
);
