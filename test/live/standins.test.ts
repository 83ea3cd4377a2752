// The images the generated stacks use, checked against the OFFICIAL images' documented
// contracts with plain `docker run`: the same assertions hold for the real images (pulled
// where a registry is reachable) and for the local stand-ins scripts/test-env.sh builds from
// Debian packages where none is. Only the label check is specific to a stand-in (and skipped
// for a pulled image). Every container, volume and network is named wpsn-standin-test-* and
// removed afterwards. Figures are printed as "figure: ..." lines.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner, describeWithoutEngine, imageAvailable, liveGate } from './helpers/engine.ts';
import { describeRun } from './helpers/run.ts';
import {
  docker,
  dockerOk,
  imageConfig,
  imageInfo,
  initDir,
  logs,
  processUids,
  Run,
  startedAt,
  stopTimed,
  waitUntil,
  writeOwned,
  type ImageInfo,
} from './helpers/standin-contract.ts';

const figure = (text: string): void => console.log(`figure: ${text}`);
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** `docker stop` must end the server well inside its 10 s grace period. */
const STOP_BUDGET_MS = 5_000;
/** Lines that mean the server did not shut down cleanly before this start. */
const PG_UNCLEAN = /database system was interrupted|not properly shut down|automatic recovery in progress|redo starts at/;
const MARIADB_UNCLEAN = /crash recovery|Starting crash recovery|was not shut down normally|Recovered|InnoDB: Last binlog file/i;

/** Throws the usual "run scripts/test-env.sh" error when the image is neither present nor pullable. */
function requireImage(image: string): void {
  const a = imageAvailable(image);
  if (!a.available) throw new Error(`the image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
}

/** Lines of `logs` that mention the init directory, in order, as "verb file". */
function initLines(text: string): string[] {
  return [...text.matchAll(/(running|sourcing|ignoring) \/docker-entrypoint-initdb\.d\/(\S+)/g)].map((m) => `${m[1]} ${m[2]}`);
}

function labelTest(image: string, info: () => ImageInfo, program: string): void {
  it('carries the stand-in label when it is a local stand-in', (ctx) => {
    if (!info().standin) {
      console.warn(banner(`${image} is not a local stand-in (label: ${info().description || 'none'}): the label check does not apply`));
      ctx.skip();
    }
    expect(info().description).toMatch(/^local stand-in built by scripts\/test-env\.sh: /);
    expect(info().description).toContain(`not the official ${program} image`);
  });
}

function postgresSuite(): void {
  const IMAGE = 'postgres:17-trixie';
  describe(`live: ${IMAGE} honours the official postgres image's contract`, () => {
    const run = new Run('pg');
    const password = `pg-${randomBytes(9).toString('hex')}`;
    let info: ImageInfo = { present: false, description: '', standin: false };
    let net = '';
    let volume = '';
    let secrets = '';
    let init = '';
    let server = '';
    const psqlOverTcp = (host: string, pw: string, sql: string) =>
      run.oneShot(['--network', net, '-e', `PGPASSWORD=${pw}`, IMAGE, 'psql', '-h', host, '-U', 'app', '-d', 'appdb', '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
    const initRows = "SELECT string_agg(step || '|' || by_user || '|' || db, ',' ORDER BY step) FROM init_log";
    const expectedRows = ['10-sql|app|appdb', '20-sourced-sh:999|app|appdb', '25-executed-sh:999|app|appdb', '30-sql-gz|app|appdb'].join(',');

    beforeAll(async () => {
      requireImage(IMAGE);
      info = await imageInfo(IMAGE);
      net = await run.network('net');
      volume = await run.volume('data');
      secrets = run.dir('pg-secrets');
      // As a Compose file secret made by root: root-owned, mode 0600.
      writeOwned(join(secrets, 'db_password'), `${password}\n`, 0o600);
      const insert = (step: string) => `INSERT INTO init_log(step) VALUES ('${step}');`;
      init = initDir(join(run.dir('pg-init'), 'initdb.d'), {
        '10-schema.sql': [`CREATE TABLE init_log (step text, by_user text DEFAULT current_user, db text DEFAULT current_database());\n${insert('10-sql')}\n`, 0o644],
        // Sourced (not executable): the entrypoint's own functions are there.
        '20-sourced.sh': [`docker_process_sql <<<"INSERT INTO init_log(step) VALUES ('20-sourced-sh:$(id -u)')"\n`, 0o644],
        // Executed: a process of its own, without the entrypoint's functions.
        '25-executed.sh': [
          '#!/bin/bash\nset -e\nif declare -F docker_process_sql >/dev/null; then exit 3; fi\n' +
            `psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c "INSERT INTO init_log(step) VALUES ('25-executed-sh:$(id -u)')"\n`,
          0o755,
        ],
        '30-data.sql.gz': [gzipSync(`${insert('30-sql-gz')}\n`), 0o644],
        '40-notes.txt': ['not a script\n', 0o644],
      });
    });

    afterAll(async () => {
      const problem = await run.cleanUp();
      if (problem) console.warn(banner(`clean-up of ${run.id} failed:\n${problem}`));
    });

    labelTest(IMAGE, () => info, 'postgres');

    it('has the official image configuration: entrypoint, CMD postgres, STOPSIGNAL SIGINT, PGDATA volume, binaries on PATH', async () => {
      const c = await imageConfig(IMAGE);
      expect(c.Entrypoint).toEqual(['docker-entrypoint.sh']);
      expect(c.Cmd).toEqual(['postgres']);
      expect(c.StopSignal).toBe('SIGINT');
      expect(Object.keys(c.Volumes ?? {})).toContain('/var/lib/postgresql/data');
      expect(Object.keys(c.ExposedPorts ?? {})).toContain('5432/tcp');
      expect(c.Env).toContain('PGDATA=/var/lib/postgresql/data');
      expect(c.Env.find((e) => e.startsWith('PATH='))).toContain('/usr/lib/postgresql/17/bin');
      const ids = await run.oneShot(['--entrypoint', 'sh', IMAGE, '-c', 'id -u postgres; id -g postgres; postgres --version']);
      expect(ids.stdout.split('\n').slice(0, 2), describeRun(ids)).toEqual(['999', '999']);
      expect(ids.stdout).toMatch(/PostgreSQL\) 17\./);
      figure(`[postgres] ${ids.stdout.split('\n')[2]}`);
    });

    it('refuses to initialise a database without a password', async () => {
      const r = await run.oneShot([IMAGE]);
      expect(r.code, describeRun(r)).not.toBe(0);
      expect(r.stderr).toContain('superuser password is not specified');
      expect(r.stderr).toContain('POSTGRES_HOST_AUTH_METHOD=trust');
    });

    it('first start as root: reads POSTGRES_PASSWORD_FILE (root, 0600), runs the init scripts in order, serves as uid 999', async () => {
      server = await run.start('server', [
        '--network', net, '-v', `${volume}:/var/lib/postgresql/data`, '-v', `${secrets}:/run/secrets:ro`, '-v', `${init}:/docker-entrypoint-initdb.d:ro`,
        '-e', 'POSTGRES_USER=app', '-e', 'POSTGRES_DB=appdb', '-e', 'POSTGRES_PASSWORD_FILE=/run/secrets/db_password', IMAGE,
      ]);
      // Over TCP: the temporary init server listens on the unix socket only.
      const ms = await waitUntil(server, ['pg_isready', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb'], 90_000);
      figure(`[postgres] first start (initdb + init scripts) to pg_isready over TCP: ${sec(ms)}`);
      const text = await logs(server);
      expect(initLines(text), text).toEqual(['running 10-schema.sql', 'sourcing 20-sourced.sh', 'running 25-executed.sh', 'running 30-data.sql.gz', 'ignoring 40-notes.txt']);
      expect(text).toContain('PostgreSQL init process complete; ready for start up.');
      const procs = await processUids(server);
      expect(procs.length).toBeGreaterThan(1);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const inside = await docker(['exec', server, 'pg_isready', '-U', 'app', '-d', 'appdb']);
      expect(inside.code, describeRun(inside)).toBe(0);
    });

    it('a client on a user network logs in over TCP with the password; database, user, init rows and pg_hba are as documented', async () => {
      const rows = await psqlOverTcp(server, password, initRows);
      expect(rows.code, describeRun(rows)).toBe(0);
      expect(rows.stdout.trim()).toBe(expectedRows);
      const conf = await psqlOverTcp(
        server,
        password,
        "SELECT current_user || ' ' || current_database() || ' ' || current_setting('listen_addresses') || ' ' || " +
          "(SELECT string_agg(type || ':' || array_to_string(database, ',') || ':' || array_to_string(user_name, ',') || ':' || coalesce(address, '-') || ':' || auth_method, ' ' ORDER BY line_number) FROM pg_hba_file_rules)",
      );
      expect(conf.code, describeRun(conf)).toBe(0);
      const [who, db, listen, ...hba] = conf.stdout.trim().split(' ');
      expect([who, db, listen]).toEqual(['app', 'appdb', '*']);
      expect(hba).toContain('local:all:all:-:trust');
      expect(hba.at(-1)).toBe('host:all:all:all:scram-sha-256');
      const ready = await run.oneShot(['--network', net, IMAGE, 'pg_isready', '-h', server, '-U', 'app', '-d', 'appdb']);
      expect(ready.code, describeRun(ready)).toBe(0);
    });

    it('refuses a wrong password', async () => {
      const r = await psqlOverTcp(server, `${password}-wrong`, 'SELECT 1');
      expect(r.code, describeRun(r)).not.toBe(0);
      expect(r.stderr).toContain('password authentication failed for user "app"');
    });

    it('docker stop shuts the server down cleanly and fast; pg_isready then fails', async () => {
      const stopped = await stopTimed(server);
      figure(`[postgres] docker stop: ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      expect(await logs(server, 5)).toContain('database system is shut down');
      const ready = await run.oneShot(['--network', net, IMAGE, 'pg_isready', '-h', server, '-t', '3']);
      expect(ready.code, describeRun(ready)).not.toBe(0);
    });

    it('a restart skips initialisation and needs no recovery', async () => {
      await dockerOk(['start', server]);
      const since = await startedAt(server);
      await waitUntil(server, ['pg_isready', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb'], 60_000);
      const text = await logs(server, undefined, since);
      expect(text).toContain('Skipping initialization');
      expect(text).not.toContain('docker-entrypoint-initdb.d');
      expect(text).toMatch(/database system was shut down at/);
      expect(text).not.toMatch(PG_UNCLEAN);
      const rows = await psqlOverTcp(server, password, initRows);
      expect(rows.stdout.trim(), describeRun(rows)).toBe(expectedRows);
      const stopped = await stopTimed(server);
      expect(stopped.exitCode).toBe(0);
    });

    it('a new container on the same volume (no password variables at all) serves the same data', async () => {
      const replacement = await run.start('server-2', ['--network', net, '-v', `${volume}:/var/lib/postgresql/data`, IMAGE]);
      await waitUntil(replacement, ['pg_isready', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb'], 60_000);
      expect(await logs(replacement)).not.toMatch(PG_UNCLEAN);
      const rows = await psqlOverTcp(replacement, password, initRows);
      expect(rows.stdout.trim(), describeRun(rows)).toBe(expectedRows);
      expect((await stopTimed(replacement)).exitCode).toBe(0);
    });

    it('started as --user 999:999 with a password file only uid 999 can read, it initialises and serves as 999', async () => {
      const own = run.dir('pg-secrets-999');
      writeOwned(join(own, 'db_password'), `${password}\n`, 0o400, 999, 999);
      const vol = await run.volume('data-999');
      const c = await run.start('server-999', [
        '--user', '999:999', '--network', net, '-v', `${vol}:/var/lib/postgresql/data`, '-v', `${own}:/run/secrets:ro`,
        '-e', 'POSTGRES_USER=app', '-e', 'POSTGRES_DB=appdb', '-e', 'POSTGRES_PASSWORD_FILE=/run/secrets/db_password', IMAGE,
      ]);
      const ms = await waitUntil(c, ['pg_isready', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb'], 90_000);
      figure(`[postgres] first start as --user 999:999 to ready: ${sec(ms)}`);
      const procs = await processUids(c);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const who = await psqlOverTcp(c, password, 'SELECT current_user');
      expect(who.stdout.trim(), describeRun(who)).toBe('app');
      const stopped = await stopTimed(c);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
    });
  });
}

function mariadbSuite(): void {
  const IMAGE = 'mariadb:11.8';
  describe(`live: ${IMAGE} honours the official mariadb image's contract`, () => {
    const run = new Run('maria');
    const rootPassword = `root-${randomBytes(9).toString('hex')}`;
    const password = `app-${randomBytes(9).toString('hex')}`;
    let info: ImageInfo = { present: false, description: '', standin: false };
    let net = '';
    let volume = '';
    let secrets = '';
    let init = '';
    let server = '';
    const HEALTH = ['healthcheck.sh', '--connect', '--innodb_initialized'];
    const client = (host: string, user: string, pw: string, sql: string, db = 'app_db') =>
      run.oneShot(['--network', net, '--entrypoint', 'mariadb', IMAGE, '-h', host, '-u', user, `-p${pw}`, db, '-N', '-B', '-e', sql]);
    const initRows = "SELECT GROUP_CONCAT(CONCAT_WS('|', step, by_user, db) ORDER BY step SEPARATOR ',') FROM init_log";
    const expectedRows = ['10-sql|root@localhost|app_db', '20-sourced-sh:999|root@localhost|app_db', '25-executed-sh:999|root@localhost|app_db', '30-sql-zst|root@localhost|app_db'].join(',');

    beforeAll(async () => {
      requireImage(IMAGE);
      info = await imageInfo(IMAGE);
      net = await run.network('net');
      volume = await run.volume('data');
      secrets = run.dir('maria-secrets');
      writeOwned(join(secrets, 'root_password'), `${rootPassword}\n`, 0o600);
      writeOwned(join(secrets, 'password'), `${password}\n`, 0o600);
      const insert = (step: string) => `INSERT INTO init_log VALUES ('${step}', CURRENT_USER(), DATABASE());`;
      init = initDir(join(run.dir('maria-init'), 'initdb.d'), {
        '10-schema.sql': [`CREATE TABLE init_log (step VARCHAR(64), by_user VARCHAR(128), db VARCHAR(64));\n${insert('10-sql')}\n`, 0o644],
        '20-sourced.sh': [`docker_process_sql <<<"INSERT INTO init_log VALUES ('20-sourced-sh:$(id -u)', CURRENT_USER(), DATABASE())"\n`, 0o644],
        '25-executed.sh': [
          '#!/bin/bash\nset -e\nif declare -F docker_process_sql >/dev/null; then exit 3; fi\n' +
            `mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" --protocol=socket "$MARIADB_DATABASE" -e "INSERT INTO init_log VALUES ('25-executed-sh:$(id -u)', CURRENT_USER(), DATABASE())"\n`,
          0o755,
        ],
        '30-data.sql.zst': [zstdCompressSync(`${insert('30-sql-zst')}\n`), 0o644],
        '40-notes.txt': ['not a script\n', 0o644],
      });
    });

    afterAll(async () => {
      const problem = await run.cleanUp();
      if (problem) console.warn(banner(`clean-up of ${run.id} failed:\n${problem}`));
    });

    labelTest(IMAGE, () => info, 'mariadb');

    it('has the official image configuration: entrypoint, CMD mariadbd, datadir volume, healthcheck.sh on PATH, mysql 999', async () => {
      const c = await imageConfig(IMAGE);
      expect(c.Entrypoint).toEqual(['docker-entrypoint.sh']);
      expect(c.Cmd).toEqual(['mariadbd']);
      expect(Object.keys(c.Volumes ?? {})).toContain('/var/lib/mysql');
      expect(Object.keys(c.ExposedPorts ?? {})).toContain('3306/tcp');
      const ids = await run.oneShot(['--entrypoint', 'sh', IMAGE, '-c', 'id -u mysql; id -g mysql; command -v healthcheck.sh; mariadbd --version']);
      const lines = ids.stdout.split('\n');
      expect(lines.slice(0, 3), describeRun(ids)).toEqual(['999', '999', '/usr/local/bin/healthcheck.sh']);
      expect(lines[3]).toMatch(/ Ver 11\.8\./);
      figure(`[mariadb] ${lines[3]}`);
    });

    it('refuses to initialise a database without a root password option', async () => {
      const r = await run.oneShot([IMAGE]);
      expect(r.code, describeRun(r)).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toContain('Database is uninitialized and password option is not specified');
    });

    it('first start as root: reads the _FILE secrets (root, 0600), runs the init scripts in order against MARIADB_DATABASE, serves as uid 999', async () => {
      server = await run.start('server', [
        '--network', net, '-v', `${volume}:/var/lib/mysql`, '-v', `${secrets}:/run/secrets:ro`, '-v', `${init}:/docker-entrypoint-initdb.d:ro`,
        '-e', 'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/root_password', '-e', 'MARIADB_PASSWORD_FILE=/run/secrets/password',
        '-e', 'MARIADB_USER=app', '-e', 'MARIADB_DATABASE=app_db', IMAGE,
      ]);
      const ms = await waitUntil(server, HEALTH, 120_000);
      figure(`[mariadb] first start (install-db + time zones + init scripts) to healthcheck.sh --connect --innodb_initialized: ${sec(ms)}`);
      const text = await logs(server);
      expect(initLines(text), text).toEqual(['running 10-schema.sql', 'sourcing 20-sourced.sh', 'running 25-executed.sh', 'running 30-data.sql.zst', 'ignoring 40-notes.txt']);
      expect(text).toContain('MariaDB init process done. Ready for start up.');
      const procs = await processUids(server);
      expect(procs.length).toBeGreaterThan(0);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const cnf = await docker(['exec', server, 'stat', '-c', '%U %a', '/var/lib/mysql/.my-healthcheck.cnf']);
      expect(cnf.stdout.trim(), describeRun(cnf)).toBe('mysql 600');
    });

    it('a client on a user network logs in over TCP: the user owns the database, root works from anywhere, the init rows are there', async () => {
      const rows = await client(server, 'app', password, initRows);
      expect(rows.code, describeRun(rows)).toBe(0);
      expect(rows.stdout.trim()).toBe(expectedRows);
      const grants = await client(server, 'app', password, 'SELECT CURRENT_USER(); SHOW GRANTS');
      expect(grants.code, describeRun(grants)).toBe(0);
      expect(grants.stdout).toContain('app@%');
      // Batch output escapes the backslash: the grant is on `app\_db`.* (the "_" taken literally).
      expect(grants.stdout).toMatch(/GRANT ALL PRIVILEGES ON `app\\\\_db`\.\* TO `app`@`%`/);
      const root = await client(server, 'root', rootPassword, "SELECT CURRENT_USER(), (SELECT GROUP_CONCAT(CONCAT(user, '@', host) ORDER BY user, host) FROM mysql.user WHERE user IN ('root', 'healthcheck'))", 'mysql');
      expect(root.code, describeRun(root)).toBe(0);
      expect(root.stdout.trim().split('\t')).toEqual(['root@%', 'healthcheck@127.0.0.1,healthcheck@::1,healthcheck@localhost,root@%,root@localhost']);
    });

    it('refuses a wrong password', async () => {
      const r = await client(server, 'app', `${password}-wrong`, 'SELECT 1');
      expect(r.code, describeRun(r)).not.toBe(0);
      expect(r.stderr).toMatch(/Access denied for user 'app'/);
    });

    it('docker stop shuts the server down cleanly and fast; healthcheck.sh then fails', async () => {
      const stopped = await stopTimed(server);
      figure(`[mariadb] docker stop: ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      expect(await logs(server, 5)).toMatch(/Shutdown complete/);
      // The same check, with the same .my-healthcheck.cnf, where no server runs.
      const hc = await run.oneShot(['-v', `${volume}:/var/lib/mysql`, '--entrypoint', 'healthcheck.sh', IMAGE, '--connect', '--innodb_initialized']);
      expect(hc.code, describeRun(hc)).not.toBe(0);
    });

    it('a restart skips initialisation and needs no crash recovery', async () => {
      await dockerOk(['start', server]);
      const since = await startedAt(server);
      await waitUntil(server, HEALTH, 60_000);
      const text = await logs(server, undefined, since);
      expect(text).not.toContain('docker-entrypoint-initdb.d');
      expect(text).not.toContain('Initializing database files');
      expect(text).not.toMatch(MARIADB_UNCLEAN);
      const rows = await client(server, 'app', password, initRows);
      expect(rows.stdout.trim(), describeRun(rows)).toBe(expectedRows);
      expect((await stopTimed(server)).exitCode).toBe(0);
    });

    it('a new container on the same volume (no password variables at all) serves the same data', async () => {
      const replacement = await run.start('server-2', ['--network', net, '-v', `${volume}:/var/lib/mysql`, IMAGE]);
      await waitUntil(replacement, HEALTH, 60_000);
      expect(await logs(replacement)).not.toMatch(MARIADB_UNCLEAN);
      const rows = await client(replacement, 'app', password, initRows);
      expect(rows.stdout.trim(), describeRun(rows)).toBe(expectedRows);
      expect((await stopTimed(replacement)).exitCode).toBe(0);
    });

    it('started as --user 999:999 with a root password file only uid 999 can read, it initialises and serves as 999', async () => {
      const own = run.dir('maria-secrets-999');
      writeOwned(join(own, 'root_password'), `${rootPassword}\n`, 0o400, 999, 999);
      const vol = await run.volume('data-999');
      const c = await run.start('server-999', [
        '--user', '999:999', '--network', net, '-v', `${vol}:/var/lib/mysql`, '-v', `${own}:/run/secrets:ro`,
        '-e', 'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/root_password', IMAGE,
      ]);
      const ms = await waitUntil(c, HEALTH, 120_000);
      figure(`[mariadb] first start as --user 999:999 to healthy: ${sec(ms)}`);
      const procs = await processUids(c);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const who = await client(c, 'root', rootPassword, 'SELECT CURRENT_USER()', 'mysql');
      expect(who.stdout.trim(), describeRun(who)).toBe('root@%');
      const stopped = await stopTimed(c);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
    });
  });
}

const gate = liveGate();
if (!gate.ready) {
  describeWithoutEngine('live: stand-in images honour the official images\' contracts', gate);
} else {
  postgresSuite();
  mariadbSuite();
}
