// What the engine itself says about a Compose project, through its API (dockerode),
// never by parsing CLI text.
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

/** Honours DOCKER_HOST like the docker CLI does. */
export const docker = new Docker();

const byProject = (project: string) => ({ label: [`${PROJECT_LABEL}=${project}`] });

/** Every container of the project (stopped ones too), inspected, by service name. */
export async function projectContainers(project: string): Promise<Map<string, Docker.ContainerInspectInfo[]>> {
  const list = await docker.listContainers({ all: true, filters: byProject(project) });
  const out = new Map<string, Docker.ContainerInspectInfo[]>();
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect();
    const service = info.Config.Labels[SERVICE_LABEL] ?? '?';
    out.set(service, [...(out.get(service) ?? []), info]);
  }
  return out;
}

/** The one container of a service; throws when there is none or more than one. */
export async function serviceContainer(project: string, service: string): Promise<Docker.ContainerInspectInfo> {
  const all = await projectContainers(project);
  const list = all.get(service) ?? [];
  if (list.length !== 1) {
    throw new Error(`expected one container of service ${service} in project ${project}, found ${list.length} (services: ${[...all.keys()].join(', ') || 'none'})`);
  }
  return list[0] as Docker.ContainerInspectInfo;
}

export async function projectVolumes(project: string): Promise<Docker.VolumeInspectInfo[]> {
  const { Volumes } = await docker.listVolumes({ filters: byProject(project) });
  return Volumes ?? [];
}

export async function projectNetworks(project: string): Promise<Docker.NetworkInspectInfo[]> {
  const list = await docker.listNetworks({ filters: byProject(project) });
  // The list omits some fields on older engines: inspect each.
  return Promise.all(list.map((n) => docker.getNetwork(n.Id).inspect() as Promise<Docker.NetworkInspectInfo>));
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in a running container (as its configured user unless `user` is given). */
export async function execIn(containerId: string, cmd: string[], options: { env?: string[]; user?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  const container = docker.getContainer(containerId);
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(options.env ? { Env: options.env } : {}),
    ...(options.user ? { User: options.user } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${JSON.stringify(cmd)} in ${containerId.slice(0, 12)} did not finish within ${(options.timeoutMs ?? 30_000) / 1000} s`));
    }, options.timeoutMs ?? 30_000);
    const done = () => {
      clearTimeout(timer);
      resolvePromise();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  // The stream can end a moment before the engine records the exit code.
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) {
      return { exitCode: info.ExitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`exec ${JSON.stringify(cmd)}: the engine never reported an exit code`);
}

export interface TopProcess {
  uid: number;
  pid: number;
  args: string;
}

/** The container's processes as the engine sees them (`docker top`), with numeric uids. */
export async function topProcesses(containerId: string): Promise<TopProcess[]> {
  const top = (await docker.getContainer(containerId).top({ ps_args: '-o pid,uid,args' })) as { Titles: string[]; Processes: string[][] };
  const col = (name: string) => top.Titles.findIndex((t) => t.trim().toUpperCase() === name);
  const [pid, uid, args] = [col('PID'), col('UID'), col('COMMAND')];
  if (pid < 0 || uid < 0 || args < 0) throw new Error(`unexpected docker top titles: ${JSON.stringify(top.Titles)}`);
  return top.Processes.map((p) => ({ pid: Number(p[pid]), uid: Number(p[uid]), args: p[args] ?? '' }));
}
