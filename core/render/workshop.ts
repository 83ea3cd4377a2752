// The workshop kit (`--workshop`): WORKSHOP.md, a hands-on lesson that follows the original
// WPSN Docker workshop's sequence with this project's real names and images, and
// scripts/offline-load.sh, which loads the archive `wpsn-docker bundle` makes.
//
// Every command block of the lesson is data here (the same in every language); the
// templates (templates/workshop/WORKSHOP.<lang>.md.ejs) only place the blocks between the
// prose. Each runnable block is preceded by a machine-readable comment:
//
//   <!-- wpsn-step {"id":"ps","expect":{"line":[["shop-tryout","Exited (0)"]]}} -->
//   ```bash
//   docker ps -a
//   ```
//
// and each block that is only shown (an interactive form, or a command that would change
// the project) by `<!-- wpsn-show {...} -->`. parseLesson() reads them back: the lesson test
// (test/live/workshop-lesson.test.ts) runs every step in order against a real engine and
// asserts its expectation, so a lesson that drifts from the generator fails.
import type { StackModel } from '../types.ts';
import type { LessonStep, ShownBlock, StepExpect, WorkshopModel } from './workshop-types.ts';
import { shellWord as w } from '../shell.ts';
import { renderTemplate } from '../templates.ts';
import type { RenderedFile } from '../rendered.ts';

export type { LessonStep, ShownBlock, StepExpect, WorkshopModel } from './workshop-types.ts';

export const WORKSHOP_FILE = 'WORKSHOP.md';
export const OFFLINE_LOAD_SCRIPT = 'scripts/offline-load.sh';
/** Where `wpsn-docker bundle` writes and scripts/offline-load.sh reads (git- and docker-ignored). */
export const OFFLINE_DIR = 'offline';
export const OFFLINE_ARCHIVE = `${OFFLINE_DIR}/images.tar.gz`;
export const OFFLINE_SUMS = `${OFFLINE_DIR}/SHA256SUMS`;
/** The images in the archive, one a line: reference, image ID, platform, size in bytes. */
export const OFFLINE_MANIFEST = `${OFFLINE_DIR}/images.txt`;


/** JSON for an HTML comment: "--" may not appear inside one, so it is written as "-\u002d". */
function commentJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('--', '-\\u002d');
}

function fence(text: string): string {
  return `\`\`\`bash\n${text}\n\`\`\``;
}

export function stepMarkdown(step: LessonStep): string {
  return `<!-- wpsn-step ${commentJson({ id: step.id, expect: step.expect })} -->\n${fence(step.run)}`;
}

export function shownMarkdown(block: ShownBlock): string {
  const { text, ...meta } = block;
  return `<!-- wpsn-show ${commentJson(meta)} -->\n${fence(text)}`;
}

/** Settings a deploy script needs that were not answered when generating (examples for a dry run). */
function deploySettings(m: Omit<StackModel, 'workshop'>, id: string): string[] {
  const d = m.deploy;
  // ECS and Container Apps use a managed database: an example of its URL for the dry run.
  const managedDatabase = m.database ? [`DATABASE_URL=${m.database.url.replace(`@${m.database.service}:`, '@db.example.com:')}`] : [];
  switch (id) {
    case 'ecs':
      return [...(d.ecs.region ? [] : ['AWS_REGION=eu-west-1']), ...managedDatabase];
    case 'aca':
      return [...(d.aca.resourceGroup ? [] : ['AZURE_RESOURCE_GROUP=my-resource-group']), ...(d.aca.environment ? [] : ['ACA_ENVIRONMENT=my-environment']), ...managedDatabase];
    default:
      return [];
  }
}

/** What each deploy script's dry run prints when it works: its main command. */
const DEPLOY_MARKERS: Record<string, string> = {
  swarm: 'docker stack deploy',
  kubernetes: 'kubectl apply',
  ecs: 'aws ecs register-task-definition',
  aca: 'az containerapp',
};

export function deriveWorkshop(m: Omit<StackModel, 'workshop'>): WorkshopModel {
  const p = m.projectName;
  const names = {
    tryout: `${p}-tryout`,
    tryoutImage: `${p}-tryout-image`,
    tryoutTag: 'v1',
    redis: `${p}-redis-tryout`,
    web: `${p}-web`,
    webAll: `${p}-web-all`,
  };
  const image = m.app.baseImage;
  // Every Node base image has node; Alpine-based ones have no bash.
  const shell = /alpine/i.test(image) ? 'sh' : 'bash';
  const redisImage = m.redis.image;
  const tryPort = m.app.hostPort < 65535 ? m.app.hostPort + 1 : m.app.hostPort - 1;
  const tagged = `${names.tryoutImage}:${names.tryoutTag}`;
  const server = `node -e "require('node:http').createServer((req, res) => res.end('hello from ' + require('node:os').hostname() + '\\n')).listen(8080)"`;
  const visit = `echo "visit $(date +%T)" >> /visits.txt && wc -l < /visits.txt`;
  const hex64 = '^[0-9a-f]{64}$';
  const steps: LessonStep[] = [];
  const shown: ShownBlock[] = [];
  const step = (id: string, run: string, expect: StepExpect = {}) => steps.push({ id, run, expect });
  // Shown blocks carry comments in the lesson's language; runnable ones are the same in every language.
  const say = (en: string, ko: string): string => (m.lang === 'ko' ? ko : en);
  const inside = say('# inside the container:', '# 컨테이너 안에서:');
  const show = (block: ShownBlock) => shown.push(block);

  // Before the workshop: the machine, and the images without the internet.
  step('doctor', 'wpsn-docker doctor', { output: ['[ok]'], absent: ['[fail]'] });
  step('bundle', 'wpsn-docker bundle', { output: [OFFLINE_ARCHIVE], files: [OFFLINE_ARCHIVE, OFFLINE_SUMS, OFFLINE_MANIFEST] });
  step('offline-load', OFFLINE_LOAD_SCRIPT, { output: ['images.tar.gz: OK', 'Loaded image'] });

  // 1. Containers: run, ps -a, start -ia, rm -f, run --rm.
  show({ id: 'run', interactive: true, text: `docker run -it --name ${w(names.tryout)} ${w(image)} ${shell}\n${inside}\n${visit}\nexit` });
  step('run', `docker run --name ${w(names.tryout)} ${w(image)} ${shell} -c '${visit}'`, { stdoutIs: '1' });
  step('ps', 'docker ps -a', { line: [[names.tryout, 'Exited (0)']] });
  show({ id: 'start', interactive: true, text: `docker start -ia ${w(names.tryout)}\n${inside}\n${visit}\nexit` });
  step('start', `docker start -a ${w(names.tryout)}`, { stdoutIs: '2' });
  step('rm', `docker rm -f ${w(names.tryout)}`, { stdoutIs: names.tryout });
  show({ id: 'run-rm', interactive: true, text: `docker run -it --rm ${w(image)} ${shell}\n${inside}\nls /visits.txt\nexit` });
  step('run-rm', `docker run --rm ${w(image)} ls /visits.txt`, { exit: 2, output: ['No such file or directory'] });

  // 2. Images: commit, images, rmi.
  show({ id: 'commit-prepare', interactive: true, text: `docker run -it --name ${w(names.tryout)} ${w(image)} ${shell}\n${inside}\necho 'hello, image' > /hello.txt\nexit` });
  step('commit-prepare', `docker run --name ${w(names.tryout)} ${w(image)} ${shell} -c "echo 'hello, image' > /hello.txt"`);
  step('commit', `docker commit ${w(names.tryout)} ${w(tagged)}`, { match: '^sha256:[0-9a-f]{64}$' });
  step('commit-run', `docker run --rm ${w(tagged)} cat /hello.txt`, { stdoutIs: 'hello, image' });
  step('images', `docker images ${w(names.tryoutImage)}`, { line: [[names.tryoutImage, names.tryoutTag]] });
  step('rmi', `docker rm ${w(names.tryout)}\ndocker rmi ${w(tagged)}`, { output: [`Untagged: ${tagged}`] });
  step('images-after', `docker images ${w(names.tryoutImage)}`, { noLine: [[names.tryoutImage, names.tryoutTag]] });

  // 3. Redis in the background: run -d --name, exec, logs -f.
  // redis-server and redis-cli, or valkey-server and valkey-cli when Valkey replaces Redis.
  step('redis-run', `docker run -d --name ${w(names.redis)} ${w(redisImage)} ${w(m.redis.command?.[0] ?? 'redis-server')}`, { match: hex64 });
  step('redis-ping', `docker exec ${w(names.redis)} ${w(m.redis.cli)} ping`, { stdoutIs: 'PONG', retries: 10 });
  show({ id: 'logs', interactive: true, text: `docker logs -f ${w(names.redis)}\n${say('# Ctrl+C stops following (the container keeps running)', '# Ctrl+C로 따라가기를 멈춥니다 (컨테이너는 계속 실행됨)')}` });
  step('logs', `docker logs ${w(names.redis)}`, { output: ['Ready to accept connections'] });

  // 4. Ports: -P and -p.
  step('publish-all', `docker run -d --name ${w(names.webAll)} -P --expose 8080 ${w(image)} ${server}`, { match: hex64 });
  step('port-all', `docker port ${w(names.webAll)}`, { output: ['8080/tcp -> 0.0.0.0:'] });
  step('publish', `docker run -d --init --name ${w(names.web)} -p ${w(`127.0.0.1:${tryPort}:8080`)} ${w(image)} ${server}`, { match: hex64 });
  step('curl', `curl -s ${w(`http://127.0.0.1:${tryPort}/`)}`, { match: '^hello from [0-9a-f]{12}$', retries: 10 });

  // 5. stop versus kill.
  step('stop', `docker stop ${w(names.redis)}`, { stdoutIs: names.redis });
  step('kill', `docker kill ${w(names.web)}`, { stdoutIs: names.web });
  step('stop-pid1', `docker stop ${w(names.webAll)}`, { stdoutIs: names.webAll });
  step('stopped', `docker ps -a --filter ${w(`name=${p}-`)} --format '{{.Names}}: {{.Status}}'`, {
    line: [
      [`${names.redis}:`, 'Exited (0)'],
      [`${names.web}:`, 'Exited (137)'],
      [`${names.webAll}:`, 'Exited (137)'],
    ],
  });
  step('cleanup-tryouts', `docker rm ${w(names.redis)} ${w(names.web)} ${w(names.webAll)}`, { output: [names.redis, names.web, names.webAll] });

  // 6. Build the app image.
  step('build', `docker build -t ${w(m.app.localImage)} --secret id=extra_ca,src="\${NODE_EXTRA_CA_CERTS:-/dev/null}" .`);
  step('images-app', `docker images ${w(m.app.localImage)}`, { line: [[m.app.localImage, 'latest']] });

  // 7. Push it with the chosen registry script.
  const target = m.registry.targets[0];
  let push: WorkshopModel['push'];
  if (target) {
    push = { script: target.script, label: target.label };
    const lines: string[] = [];
    for (const v of target.variables) {
      if (v.secret) lines.push(`read -rs ${w(v.name)} && export ${w(v.name)}`);
      else if (v.required && v.value === undefined) lines.push(`export ${w(`${v.name}=${v.example ?? '...'}`)}`);
    }
    lines.push(`${w(target.script)} --dry-run`, w(target.script));
    show({ id: 'push', interactive: true, text: lines.join('\n') });
    step('push-dry-run', `SKIP_BUILD=1 ${w(target.script)} --dry-run`, { output: ['would push'] });
    step('push', `SKIP_BUILD=1 ${w(target.script)}`, { output: ['pushed '] });
  } else {
    show({ id: 'push', reason: say('no registry was chosen: this adds push scripts to the project', '레지스트리를 고르지 않았습니다: 이 명령은 프로젝트에 push 스크립트를 추가합니다'), text: 'wpsn-docker registry --registry dockerhub' });
  }

  // 8. The whole stack: compose up, its volumes and networks.
  show({ id: 'up', interactive: true, text: `docker compose up\n${say('# Ctrl+C stops the stack', '# Ctrl+C로 스택을 멈춥니다')}` });
  step('up', 'docker compose up -d --wait');
  step('compose-ps', 'docker compose ps', { line: m.services.filter((x) => x.healthcheck).reduce((lines, x) => [...lines, [`${p}-${x.service}-1`, '(healthy)']], [[`${p}-${m.app.service}-1`, '(healthy)']]) });
  if (m.sampleApp && m.database) {
    // As in the 2017 lesson, the stack has a database: every hit is also a row in it.
    step('hit', `curl -s ${w(`${m.app.localUrl}/`)}`, { match: '^\\{"hits":[0-9]+,"rows":[0-9]+\\}$', retries: 5 });
    step('db-rows', `docker compose exec -T ${w(m.database.service)} ${m.database.tools.countHits}`, { match: '^[0-9]+$', retries: 5 });
  } else if (m.sampleApp) step('hit', `curl -s ${w(`${m.app.localUrl}/`)}`, { match: '^\\{"hits":[0-9]+\\}$', retries: 5 });
  else step('hit', `curl -s -o /dev/null -w '%{http_code}\\n' ${w(`${m.app.localUrl}${m.app.healthPath}`)}`, { match: '^2[0-9][0-9]$', retries: 5 });
  const label = `label=com.docker.compose.project=${p}`;
  const volumes = m.volumes.map((v) => `${p}_${v}`);
  step('volumes', `docker volume ls --filter ${w(label)}`, { output: volumes });
  step('networks', `docker network ls --filter ${w(label)}`, { output: [`${p}_${m.networks.frontend}`, `${p}_${m.networks.backend}`] });
  step('internal', `docker network inspect --format '{{.Internal}}' ${w(`${p}_${m.networks.backend}`)}`, { stdoutIs: 'true' });
  step('down', 'docker compose down');
  step('volumes-kept', `docker volume ls --filter ${w(label)}`, { output: volumes });

  // 9. The chosen deploy targets, as dry runs.
  const deploys = m.deploy.targets.map((t) => ({ id: t.id, label: t.label, script: t.script }));
  for (const t of deploys) {
    const settings = deploySettings(m, t.id);
    step(`deploy-${t.id}`, `${[...settings, t.script].map(w).join(' ')} --dry-run`, { output: [DEPLOY_MARKERS[t.id] ?? t.script] });
  }
  if (deploys.length === 0) {
    show({ id: 'deploy', reason: say('no deploy target was chosen: this adds deploy configs to the project', '배포 대상을 고르지 않았습니다: 이 명령은 프로젝트에 배포 설정을 추가합니다'), text: 'wpsn-docker deploy --deploy swarm' });
  }

  // 10. Clean up.
  step('clean', 'docker compose down -v --rmi local');
  step('clean-check', `docker volume ls --filter ${w(label)}`, { absent: volumes });

  const md: WorkshopModel['md'] = {};
  for (const s of steps) md[s.id] = { ...md[s.id], run: stepMarkdown(s) };
  for (const b of shown) md[b.id] = { ...md[b.id], shown: shownMarkdown(b) };
  return {
    names,
    image,
    shell,
    redisImage,
    tryPort,
    push,
    deploys,
    steps,
    md,
    offline: { dir: OFFLINE_DIR, archive: OFFLINE_ARCHIVE, sums: OFFLINE_SUMS, manifest: OFFLINE_MANIFEST, script: OFFLINE_LOAD_SCRIPT },
  };
}

/** WORKSHOP.md and scripts/offline-load.sh, when the workshop kit is on. */
export function renderWorkshopFiles(m: StackModel): RenderedFile[] {
  if (!m.workshop) return [];
  return [
    { path: WORKSHOP_FILE, content: renderTemplate(`workshop/WORKSHOP.${m.lang}.md.ejs`, m), kind: 'generated' },
    { path: OFFLINE_LOAD_SCRIPT, content: renderTemplate('workshop/offline-load.sh.ejs', m), kind: 'generated', mode: 0o755 },
  ];
}

// ---------------------------------------------------------------------------------------
// Reading a lesson back (the tests, and anyone who wants to run it)

export interface ParsedBlock {
  kind: 'step' | 'show' | 'unmarked';
  id: string | undefined;
  text: string;
  expect: StepExpect | undefined;
  interactive: boolean;
  reason: string | undefined;
  /** 1-based line of the opening fence. */
  line: number;
}

/**
 * Every fenced block of a Markdown lesson, in order, with the marker comment right above it
 * (blank lines between them allowed). Blocks without a marker come back as `unmarked`.
 */
export function parseLesson(markdown: string): ParsedBlock[] {
  const lines = markdown.split('\n');
  const blocks: ParsedBlock[] = [];
  let marker: { kind: 'step' | 'show'; meta: Record<string, unknown> } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const comment = /^<!-- wpsn-(step|show) (\{.*\}) -->$/.exec(line.trim());
    if (comment) {
      marker = { kind: comment[1] as 'step' | 'show', meta: JSON.parse(comment[2] ?? '{}') as Record<string, unknown> };
      continue;
    }
    const open = /^(`{3,})(\S*)\s*$/.exec(line);
    if (open) {
      const fenceText = open[1] ?? '```';
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !(lines[j] ?? '').startsWith(fenceText); j++) body.push(lines[j] ?? '');
      if (open[2] === 'bash' || open[2] === 'sh' || marker) {
        const meta = marker?.meta ?? {};
        blocks.push({
          kind: marker?.kind ?? 'unmarked',
          id: typeof meta['id'] === 'string' ? meta['id'] : undefined,
          text: body.join('\n'),
          expect: marker?.kind === 'step' ? ((meta['expect'] as StepExpect | undefined) ?? {}) : undefined,
          interactive: meta['interactive'] === true,
          reason: typeof meta['reason'] === 'string' ? meta['reason'] : undefined,
          line: i + 1,
        });
      }
      marker = undefined;
      i = j;
      continue;
    }
    if (line.trim() !== '') marker = undefined;
  }
  return blocks;
}

export interface StepOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The ways an outcome breaks a step's promise (empty when it keeps it). */
export function checkExpect(expect: StepExpect, outcome: StepOutcome, fileExists: (path: string) => boolean = () => true): string[] {
  const problems: string[] = [];
  const out = outcome.stdout.trim();
  const all = `${outcome.stdout}\n${outcome.stderr}`;
  const lines = outcome.stdout.split('\n');
  const exit = expect.exit ?? 0;
  if (outcome.code !== exit) problems.push(`exit status ${outcome.code}, expected ${exit}`);
  if (expect.stdoutIs !== undefined && out !== expect.stdoutIs) problems.push(`stdout is ${JSON.stringify(out)}, expected ${JSON.stringify(expect.stdoutIs)}`);
  if (expect.match !== undefined && !new RegExp(expect.match).test(out)) problems.push(`stdout ${JSON.stringify(out)} does not match /${expect.match}/`);
  for (const text of expect.output ?? []) if (!all.includes(text)) problems.push(`the output lacks ${JSON.stringify(text)}`);
  for (const text of expect.absent ?? []) if (all.includes(text)) problems.push(`the output contains ${JSON.stringify(text)}`);
  for (const words of expect.line ?? []) {
    if (!lines.some((l) => words.every((w) => l.includes(w)))) problems.push(`no stdout line contains all of ${JSON.stringify(words)}`);
  }
  for (const words of expect.noLine ?? []) {
    const hit = lines.find((l) => words.every((w) => l.includes(w)));
    if (hit !== undefined) problems.push(`a stdout line contains all of ${JSON.stringify(words)}: ${JSON.stringify(hit)}`);
  }
  for (const file of expect.files ?? []) if (!fileExists(file)) problems.push(`${file} does not exist`);
  return problems;
}
