// What a run says about the user's app before writing: what was detected and from where
// (on the first run), what will likely break (next/font/google offline, an engines range
// without a base image), and a start command that will not get SIGTERM.
import type { StackSpec } from '../../schema/stack.ts';
import { wrapperOf } from '../model.ts';
import { baseImageVerdict, unknownNodeWarning } from '../base-image.ts';
import type { AppFacts } from './index.ts';

const words = (command: readonly string[]): string => command.join(' ');

export function appNotices(facts: AppFacts | undefined, spec: StackSpec, firstRun: boolean): string[] {
  const notices: string[] = [];
  const { app } = spec;
  if (facts && firstRun) {
    const from = (detected: unknown, value: unknown, source: string | undefined): string =>
      source !== undefined && JSON.stringify(detected) === JSON.stringify(value) ? ` (from ${source})` : '';
    const lines = [
      `start: ${words(app.command)}${from(facts.command?.value, app.command, facts.command?.source)}`,
      `build: ${app.buildScript === undefined ? 'none' : `${app.packageManager} run ${app.buildScript}`}${from(facts.buildScript?.value, app.buildScript, facts.buildScript?.source)}`,
      `package manager: ${app.packageManager}${from(facts.packageManager?.value, app.packageManager, facts.packageManager?.source)}${facts.packageManagerPin ? `, ${facts.packageManagerPin.value.replace(/\+.*$/, '')} installed in the image` : ''}`,
      ...(app.dir !== '.' ? [`app folder: ${app.dir}${from(facts.dir.value, app.dir, facts.dir.source)}`] : []),
      `port: ${app.port}${from(facts.port?.value, app.port, facts.port?.source)}`,
      `health check: ${app.healthCheck === 'tcp' ? `port ${app.port} accepts a connection` : `GET ${app.healthPath} answers ${app.healthCheck === 'http' ? '2xx' : 'below 500'}`}${app.healthCheck === 'status' ? ' (no health endpoint is known; give yours with --health-check http --health-path /healthz)' : ''}`,
      `base image: ${app.baseImage}${from(facts.nodeMajor ? `node:${facts.nodeMajor.value}-bookworm-slim` : undefined, app.baseImage, facts.nodeMajor?.source)}`,
    ];
    notices.push(`your app, as detected (flags and --answers override each; see README.md "Use it on your app"):\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }
  if (facts) notices.push(...facts.warnings);
  const node = baseImageVerdict(app.baseImage);
  if (node.provides === 'unknown') notices.push(unknownNodeWarning(app.baseImage, node));
  const wrapper = wrapperOf(app.command);
  if (wrapper) {
    notices.push(
      `the start command runs ${wrapper} (${words(app.command)}), which does not forward SIGTERM to the app: docker compose stop waits 10 s and then kills it, mid-request. Give the app's own process instead, such as --command "node server.js"`,
    );
  }
  return notices;
}
