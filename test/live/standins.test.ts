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

/** A bash one-liner run in a throw-away client container on the network (debian:trixie-slim has bash). */
const CLIENT_IMAGE = 'debian:trixie-slim';

/** HTTP/1.0 GET over bash's /dev/tcp: prints the whole response (headers and body). */
const HTTP_GET = 'exec 3<>"/dev/tcp/$1/$2"; printf "GET %s HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n" "$3" >&3; cat <&3';

/** The memcached health check that works on the official image (Debian-based, bash) and the stand-in. */
const MEMCACHED_HEALTH = 'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "version\\r\\n" >&3 && IFS= read -r -t 2 l <&3 && [[ $l == VERSION* ]]';

function valkeySuite(): void {
  const IMAGE = 'valkey/valkey:8.1-trixie';
  describe(`live: ${IMAGE} honours the official valkey image's contract`, () => {
    const run = new Run('valkey');
    let info: ImageInfo = { present: false, description: '', standin: false };
    let net = '';
    let volume = '';
    let server = '';
    const HEALTH = ['sh', '-c', 'valkey-cli ping | grep -qx PONG'];
    const cli = (host: string, ...args: string[]) => run.oneShot(['--network', net, '--entrypoint', 'valkey-cli', IMAGE, '-h', host, ...args]);

    beforeAll(async () => {
      requireImage(IMAGE);
      info = await imageInfo(IMAGE);
      net = await run.network('net');
      volume = await run.volume('data');
    });
    afterAll(async () => {
      const problem = await run.cleanUp();
      if (problem) console.warn(banner(`clean-up of ${run.id} failed:\n${problem}`));
    });

    labelTest(IMAGE, () => info, 'valkey');

    it('has the official image configuration: entrypoint, CMD valkey-server, /data working directory, valkey 999', async () => {
      const c = await imageConfig(IMAGE);
      expect(c.Entrypoint).toEqual(['docker-entrypoint.sh']);
      expect(c.Cmd).toEqual(['valkey-server']);
      expect(c.WorkingDir).toBe('/data');
      expect(Object.keys(c.ExposedPorts ?? {})).toContain('6379/tcp');
      const ids = await run.oneShot(['--entrypoint', 'sh', IMAGE, '-c', 'id -u valkey; id -g valkey; valkey-server --version']);
      const lines = ids.stdout.split('\n');
      expect(lines.slice(0, 2), describeRun(ids)).toEqual(['999', '999']);
      expect(lines[2]).toMatch(/ v=8\.1\./);
      figure(`[valkey] ${lines[2]}`);
    });

    it('started as root: serves as uid 999 with protected mode off; a client on the network writes and reads', async () => {
      server = await run.start('server', ['--network', net, '-v', `${volume}:/data`, IMAGE]);
      const ms = await waitUntil(server, HEALTH, 30_000);
      figure(`[valkey] start to "valkey-cli ping" = PONG: ${sec(ms)}`);
      const procs = await processUids(server);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const set = await cli(server, 'SET', 'wpsn:key', 'kept');
      expect(set.stdout.trim(), describeRun(set)).toBe('OK');
      const get = await cli(server, 'GET', 'wpsn:key');
      expect(get.stdout.trim(), describeRun(get)).toBe('kept');
      const mode = await cli(server, 'CONFIG', 'GET', 'protected-mode');
      expect(mode.stdout.trim().split('\n'), describeRun(mode)).toEqual(['protected-mode', 'no']);
    });

    it('docker stop saves and exits cleanly and fast; the health command fails where no server runs', async () => {
      const stopped = await stopTimed(server);
      figure(`[valkey] docker stop: ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      expect(await logs(server, 5)).toContain('DB saved on disk');
      const hc = await run.oneShot(['--entrypoint', 'sh', IMAGE, '-c', 'valkey-cli ping | grep -qx PONG']);
      expect(hc.code, describeRun(hc)).not.toBe(0);
    });

    it('a new container on the same volume has the data', async () => {
      const replacement = await run.start('server-2', ['--network', net, '-v', `${volume}:/data`, IMAGE]);
      await waitUntil(replacement, HEALTH, 30_000);
      const get = await cli(replacement, 'GET', 'wpsn:key');
      expect(get.stdout.trim(), describeRun(get)).toBe('kept');
      expect((await stopTimed(replacement)).exitCode).toBe(0);
    });

    it('started as --user 999:999 it serves as 999 and persists', async () => {
      const vol = await run.volume('data-999');
      const c = await run.start('server-999', ['--user', '999:999', '--network', net, '-v', `${vol}:/data`, IMAGE]);
      await waitUntil(c, HEALTH, 30_000);
      const procs = await processUids(c);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      expect((await cli(c, 'SET', 'k', 'v')).stdout.trim()).toBe('OK');
      const stopped = await stopTimed(c);
      expect(stopped.exitCode).toBe(0);
      const files = await run.oneShot(['-v', `${vol}:/data`, '--entrypoint', 'sh', IMAGE, '-c', 'ls /data']);
      expect(files.stdout, describeRun(files)).toContain('dump.rdb');
    });
  });
}

function memcachedSuite(): void {
  const IMAGE = 'memcached:1.6-trixie';
  describe(`live: ${IMAGE} honours the official memcached image's contract`, () => {
    const run = new Run('memcached');
    let info: ImageInfo = { present: false, description: '', standin: false };
    let net = '';
    let server = '';
    const HEALTH = ['bash', '-c', MEMCACHED_HEALTH];
    // set then get over the text protocol, from another container.
    const roundTrip = (host: string, value: string) =>
      run.oneShot([
        '--network', net, '--entrypoint', 'bash', IMAGE, '-c',
        'exec 3<>"/dev/tcp/$0/11211"; printf "set wpsn 0 0 %d\\r\\n%s\\r\\nget wpsn\\r\\nquit\\r\\n" "${#1}" "$1" >&3; cat <&3',
        host, value,
      ]);
    const get = (host: string) =>
      run.oneShot(['--network', net, '--entrypoint', 'bash', IMAGE, '-c', 'exec 3<>"/dev/tcp/$0/11211"; printf "get wpsn\\r\\nquit\\r\\n" >&3; cat <&3', host]);

    beforeAll(async () => {
      requireImage(IMAGE);
      info = await imageInfo(IMAGE);
      net = await run.network('net');
    });
    afterAll(async () => {
      const problem = await run.cleanUp();
      if (problem) console.warn(banner(`clean-up of ${run.id} failed:\n${problem}`));
    });

    labelTest(IMAGE, () => info, 'memcached');

    it('has the official image configuration: entrypoint, CMD memcached, USER memcache (11211)', async () => {
      const c = await imageConfig(IMAGE);
      expect(c.Entrypoint).toEqual(['docker-entrypoint.sh']);
      expect(c.Cmd).toEqual(['memcached']);
      expect(c.User).toBe('memcache');
      expect(Object.keys(c.ExposedPorts ?? {})).toContain('11211/tcp');
      const ids = await run.oneShot(['--entrypoint', 'sh', IMAGE, '-c', 'id -u; id -g; memcached -V']);
      const lines = ids.stdout.split('\n');
      expect(lines.slice(0, 2), describeRun(ids)).toEqual(['11211', '11211']);
      expect(lines[2]).toMatch(/^memcached 1\.6\./);
      figure(`[memcached] ${lines[2]}`);
    });

    it('starts as uid 11211; options alone mean memcached; a client on the network sets and gets', async () => {
      server = await run.start('server', ['--network', net, IMAGE, '-m', '32']);
      const ms = await waitUntil(server, HEALTH, 30_000);
      figure(`[memcached] start to the bash /dev/tcp "version" check: ${sec(ms)}`);
      const procs = await processUids(server);
      expect(procs.map((p) => [p.uid, p.args])).toEqual([[11211, 'memcached -m 32']]);
      const r = await roundTrip(server, 'hello');
      expect(r.stdout.replace(/\r/g, ''), describeRun(r)).toBe('STORED\nVALUE wpsn 0 5\nhello\nEND\n');
    });

    it('docker stop exits cleanly and fast; the health command fails where no server runs', async () => {
      const stopped = await stopTimed(server);
      figure(`[memcached] docker stop: ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      const hc = await run.oneShot(['--entrypoint', 'bash', IMAGE, '-c', MEMCACHED_HEALTH]);
      expect(hc.code, describeRun(hc)).not.toBe(0);
    });

    it('keeps nothing across a restart (memory only, no data directory, as the official image)', async () => {
      await dockerOk(['start', server]);
      await waitUntil(server, HEALTH, 30_000);
      const r = await get(server);
      expect(r.stdout.replace(/\r/g, ''), describeRun(r)).toBe('END\n');
    });
  });
}

function rabbitmqSuite(): void {
  const IMAGE = 'rabbitmq:4.0-management';
  describe(`live: ${IMAGE} honours the official rabbitmq image's contract`, () => {
    const run = new Run('rabbit');
    const password = `mq-${randomBytes(9).toString('hex')}`;
    let info: ImageInfo = { present: false, description: '', standin: false };
    let net = '';
    let volume = '';
    let conf = '';
    let server = '';
    const HOST = 'rabbit-1';
    const PING = ['rabbitmq-diagnostics', '-q', 'ping'];
    const admin = (host: string, pw: string, ...args: string[]) =>
      run.oneShot(['--network', net, '--entrypoint', 'rabbitmqadmin', IMAGE, '-H', host, '-u', 'app', '-p', pw, '-V', 'appvh', ...args]);
    /** Waits for the server's own "startup complete" line before any CLI call as root: a CLI run as
     * root before the server's first start writes a root-owned Erlang cookie into the data
     * directory, which the server (uid 999) then cannot read. */
    const startupComplete = async (container: string, since?: string) => {
      const started = Date.now();
      while (Date.now() - started < 90_000) {
        if ((await logs(container, undefined, since)).includes('Server startup complete')) return Date.now() - started;
        const state = (await docker(['inspect', '--format', '{{.State.Status}}', container])).stdout.trim();
        if (state !== 'running') throw new Error(`${container} is ${state}:\n${await logs(container, 40)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`no "Server startup complete" from ${container} in 90 s:\n${await logs(container, 40)}`);
    };

    beforeAll(async () => {
      requireImage(IMAGE);
      info = await imageInfo(IMAGE);
      net = await run.network('net');
      volume = await run.volume('data');
      conf = run.dir('rabbit-conf');
      writeOwned(join(conf, '90-wpsn.conf'), 'heartbeat = 42\n', 0o644);
    });
    afterAll(async () => {
      const problem = await run.cleanUp();
      if (problem) console.warn(banner(`clean-up of ${run.id} failed:\n${problem}`));
    });

    labelTest(IMAGE, () => info, 'rabbitmq');

    it('has the official image configuration: entrypoint, CMD rabbitmq-server, data volume, ports, rabbitmq 999, management plugin', async () => {
      const c = await imageConfig(IMAGE);
      expect(c.Entrypoint).toEqual(['docker-entrypoint.sh']);
      expect(c.Cmd).toEqual(['rabbitmq-server']);
      expect(Object.keys(c.Volumes ?? {})).toContain('/var/lib/rabbitmq');
      expect(Object.keys(c.ExposedPorts ?? {})).toEqual(expect.arrayContaining(['5672/tcp', '15672/tcp', '15692/tcp', '25672/tcp', '4369/tcp']));
      expect(c.Env).toContain('HOME=/var/lib/rabbitmq');
      const ids = await run.oneShot(['--user', '999:999', '--entrypoint', 'sh', IMAGE, '-c', 'id -un; id -u; id -g; rabbitmq-plugins list -e -m; cat /etc/rabbitmq/conf.d/10-defaults.conf']);
      const lines = ids.stdout.split('\n');
      expect(lines.slice(0, 3), describeRun(ids)).toEqual(['rabbitmq', '999', '999']);
      expect(lines).toEqual(expect.arrayContaining(['rabbitmq_management', 'rabbitmq_prometheus']));
      expect(ids.stdout).toContain('loopback_users.guest = false');
    });

    it('started as root with RABBITMQ_DEFAULT_USER/PASS/VHOST and a conf.d file: serves as uid 999; ping and port checks pass', async () => {
      server = await run.start('server', [
        '--hostname', HOST, '--network', net, '-v', `${volume}:/var/lib/rabbitmq`, '-v', `${join(conf, '90-wpsn.conf')}:/etc/rabbitmq/conf.d/90-wpsn.conf:ro`,
        '-e', 'RABBITMQ_DEFAULT_USER=app', '-e', `RABBITMQ_DEFAULT_PASS=${password}`, '-e', 'RABBITMQ_DEFAULT_VHOST=appvh', IMAGE,
      ]);
      const ms = await startupComplete(server);
      await waitUntil(server, PING, 30_000);
      figure(`[rabbitmq] first start to "Server startup complete": ${sec(ms)}`);
      const port = await docker(['exec', server, 'rabbitmq-diagnostics', '-q', 'check_port_connectivity']);
      expect(port.code, describeRun(port)).toBe(0);
      const procs = await processUids(server);
      expect(procs.some((p) => p.args.includes('beam.smp'))).toBe(true);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const hb = await docker(['exec', server, 'rabbitmqctl', '-q', 'eval', 'application:get_env(rabbit, heartbeat).']);
      expect(hb.stdout.trim(), describeRun(hb)).toBe('{ok,42}');
    });

    it('rabbitmqadmin from another container: the default user and vhost exist; a persistent message makes the round trip; a wrong password is refused', async () => {
      expect((await admin(server, password, 'declare', 'queue', 'name=wpsn', 'durable=true')).code).toBe(0);
      const pub = await admin(server, password, 'publish', 'routing_key=wpsn', 'payload=kept', 'properties={"delivery_mode":2}');
      expect(pub.stdout, describeRun(pub)).toContain('Message published');
      const got = await admin(server, password, '-f', 'tsv', 'get', 'queue=wpsn', 'ackmode=ack_requeue_true');
      expect(got.stdout.split('\n')[1]?.split('\t')[3], describeRun(got)).toBe('kept');
      const wrong = await admin(server, `${password}-wrong`, 'list', 'queues');
      expect(wrong.code, describeRun(wrong)).not.toBe(0);
      expect(`${wrong.stdout}${wrong.stderr}`).toContain('Access refused');
    });

    it('docker stop exits cleanly and fast; ping fails where the node is not running', async () => {
      const stopped = await stopTimed(server);
      figure(`[rabbitmq] docker stop: ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      // Same host name, cookie and data, no server.
      const ping = await run.oneShot(['--user', '999:999', '--hostname', HOST, '-v', `${volume}:/var/lib/rabbitmq`, '--entrypoint', 'rabbitmq-diagnostics', IMAGE, '-q', 'ping', '-t', '5']);
      expect(ping.code, describeRun(ping)).not.toBe(0);
    });

    it('a new container with the same host name and volume (no variables) has the user, vhost and message', async () => {
      const replacement = await run.start('server-2', ['--hostname', HOST, '--network', net, '-v', `${volume}:/var/lib/rabbitmq`, IMAGE]);
      await startupComplete(replacement);
      await waitUntil(replacement, PING, 30_000);
      const got = await admin(replacement, password, '-f', 'tsv', 'get', 'queue=wpsn', 'ackmode=ack_requeue_true');
      expect(got.stdout.split('\n')[1]?.split('\t')[3], describeRun(got)).toBe('kept');
      expect((await stopTimed(replacement)).exitCode).toBe(0);
    });

    it('started as --user 999:999 (health checks then run as 999 too) it serves as 999', async () => {
      const vol = await run.volume('data-999');
      const c = await run.start('server-999', ['--user', '999:999', '--hostname', 'rabbit-999', '--network', net, '-v', `${vol}:/var/lib/rabbitmq`, IMAGE]);
      // No wait for the log line: a CLI run as 999 cannot leave a cookie the server cannot read.
      const ms = await waitUntil(c, PING, 90_000);
      figure(`[rabbitmq] first start as --user 999:999 to "rabbitmq-diagnostics -q ping": ${sec(ms)}`);
      const procs = await processUids(c);
      expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      const stopped = await stopTimed(c);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
    });
  });
}

function natsSuite(): void {
  const IMAGE = 'nats:2.10';
  describe(`live: ${IMAGE} honours the official nats image's contract`, () => {
    const run = new Run('nats');
    let info: ImageInfo = { present: false, description: '', standin: false };
    let net = '';
    let volume = '';
    const client = (script: string, ...args: string[]) => run.oneShot(['--network', net, CLIENT_IMAGE, 'bash', '-c', script, 'client', ...args]);
    const httpGet = (host: string, path: string) => client(HTTP_GET, host, '8222', path);
    /** The text protocol: SUB, PUB, then read until PONG; prints what the server sent. */
    const PROTOCOL = [
      'exec 3<>"/dev/tcp/$1/4222"',
      'IFS= read -r -t 3 info <&3; echo "${info%% *}"',
      'printf "CONNECT {\\"verbose\\":false}\\r\\nSUB _INBOX.wpsn 1\\r\\nSUB greet 2\\r\\n" >&3',
      // With a subject: a request whose reply (to _INBOX.wpsn) ends the read; without: PING/PONG.
      'if [ -n "${2:-}" ]; then printf "PUB %s _INBOX.wpsn %d\\r\\n%s\\r\\n" "$2" "${#3}" "$3" >&3; want=reply; else want=PONG; fi',
      'printf "PUB greet 5\\r\\nhello\\r\\nPING\\r\\n" >&3',
      'while IFS= read -r -t 5 line <&3; do line=${line%$\'\\r\'}; echo "$line"',
      '  if [ "$want" = reply ]; then [ -n "${got:-}" ] && break; case "$line" in "MSG _INBOX.wpsn "*) got=1 ;; esac',
      '  else case "$line" in PONG*) break ;; esac; fi',
      'done',
    ].join('\n');

    beforeAll(async () => {
      requireImage(IMAGE);
      requireImage(CLIENT_IMAGE);
      info = await imageInfo(IMAGE);
      net = await run.network('net');
      volume = await run.volume('data');
    });
    afterAll(async () => {
      const problem = await run.cleanUp();
      if (problem) console.warn(banner(`clean-up of ${run.id} failed:\n${problem}`));
    });

    labelTest(IMAGE, () => info, 'nats');

    it('has the official (scratch) layout: ENTRYPOINT /nats-server, CMD --config nats-server.conf, no shell, the binary on PATH', async () => {
      const c = await imageConfig(IMAGE);
      expect(c.Entrypoint).toEqual(['/nats-server']);
      expect(c.Cmd).toEqual(['--config', 'nats-server.conf']);
      expect(Object.keys(c.ExposedPorts ?? {})).toEqual(expect.arrayContaining(['4222/tcp', '6222/tcp', '8222/tcp']));
      expect(c.Env.find((e) => e.startsWith('PATH='))?.split(':')).toContain('/');
      const version = await run.oneShot(['--entrypoint', 'nats-server', IMAGE, '--version']);
      expect(version.stdout, describeRun(version)).toMatch(/^nats-server: v2\.10\./);
      figure(`[nats] ${version.stdout.trim()}`);
      const shell = await run.oneShot(['--entrypoint', 'sh', IMAGE, '-c', 'true']);
      expect(shell.code, 'the official nats image has no shell: a health check cannot use one').not.toBe(0);
    });

    it('the default command: monitoring on 8222 answers /healthz; runs as root (no USER), as the official image', async () => {
      const c = await run.start('default', ['--network', net, IMAGE]);
      const started = Date.now();
      let health = await httpGet(c, '/healthz');
      while (!health.stdout.includes('"status":"ok"') && Date.now() - started < 20_000) {
        await new Promise((r) => setTimeout(r, 250));
        health = await httpGet(c, '/healthz');
      }
      expect(health.stdout, describeRun(health)).toMatch(/^HTTP\/1\.[01] 200/);
      expect(health.stdout).toContain('{"status":"ok"}');
      figure(`[nats] start to /healthz ok (from another container): ${sec(Date.now() - started)}`);
      const procs = await processUids(c);
      expect(procs.map((p) => [p.uid, p.args])).toEqual([[0, '/nats-server --config nats-server.conf']]);
      const round = await client(PROTOCOL, c);
      expect(round.stdout.split('\n'), describeRun(round)).toEqual(['INFO', 'MSG greet 2 5', 'hello', 'PONG', '']);
      // docker stop sends SIGTERM, on which nats-server 2.10 shuts down and exits with status 1.
      const stopped = await stopTimed(c);
      figure(`[nats] docker stop (SIGTERM): ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      expect([0, 1]).toContain(stopped.exitCode);
      expect(await logs(c, 5)).toContain('Server Exiting..');
      const after = await httpGet(c, '/healthz');
      expect(after.stdout).not.toContain('"status":"ok"');
    });

    it('JetStream on a volume (-js -sd /data, stop signal SIGINT): a stream and its message survive container replacement; SIGINT exits 0', async () => {
      const args = (what: string) => ['--network', net, '--stop-signal', 'SIGINT', '-v', `${volume}:/data`, IMAGE, '-js', '-sd', '/data', '-m', '8222', '-n', what];
      const first = await run.start('js-1', args('wpsn-js'));
      const ready = async (c: string) => {
        const t = Date.now();
        while (Date.now() - t < 20_000) {
          if ((await httpGet(c, '/healthz')).stdout.includes('"status":"ok"')) return;
          await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`${c}: /healthz not ok in 20 s:\n${await logs(c, 30)}`);
      };
      await ready(first);
      const create = await client(PROTOCOL, first, '$JS.API.STREAM.CREATE.WPSN', '{"name":"WPSN","subjects":["wpsn.>"],"storage":"file"}');
      expect(create.stdout, describeRun(create)).toContain('"did_create":true');
      const publish = await client(PROTOCOL, first, 'wpsn.order', 'kept');
      expect(publish.stdout, describeRun(publish)).toContain('"stream":"WPSN"');
      const stopped = await stopTimed(first);
      figure(`[nats] docker stop with SIGINT (JetStream): ${sec(stopped.ms)}, exit ${stopped.exitCode}`);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(STOP_BUDGET_MS);
      const second = await run.start('js-2', args('wpsn-js'));
      await ready(second);
      const jsz = await httpGet(second, '/jsz');
      const body = JSON.parse(jsz.stdout.slice(jsz.stdout.indexOf('{'))) as { streams: number; messages: number };
      expect([body.streams, body.messages], jsz.stdout).toEqual([1, 1]);
      expect((await stopTimed(second)).exitCode).toBe(0);
    });
  });
}

const gate = liveGate();
if (!gate.ready) {
  describeWithoutEngine('live: stand-in images honour the official images\' contracts', gate);
} else {
  postgresSuite();
  mariadbSuite();
  valkeySuite();
  memcachedSuite();
  rabbitmqSuite();
  natsSuite();
}
