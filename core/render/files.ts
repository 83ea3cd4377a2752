// Every file the app generator writes, as pure data: path -> content and how a
// re-run treats it. No file system access here.
import type { StackModel } from '../types.ts';
import type { RenderedFile } from '../rendered.ts';
import { SERVICE_MODULES } from '../../services/index.ts';
import { samplePackageJson } from '../sample-app.ts';
import { renderTemplate } from '../templates.ts';
import { renderCompose } from './compose.ts';
import { WATCH_FILE, renderWatchOverride } from './watch.ts';
import { renderRegistryFiles } from '../../targets/registry/render.ts';
import { renderDeployFiles } from '../../targets/deploy/render.ts';
import { renderWorkshopFiles } from './workshop.ts';

export type { FileKind, RenderedFile } from '../rendered.ts';

/**
 * What .dockerignore leaves out of the build context besides its fixed list: the folder of
 * each file a service writes (db/init, mongodb/init), or the file itself when it sits at the
 * top or in scripts/ (where the app's own scripts may live).
 */
export function serviceContextExclusions(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    out.add(dir === '' || dir === 'scripts' ? path : dir);
  }
  return [...out].sort();
}

export function renderAppFiles(model: StackModel): RenderedFile[] {
  // What each service adds (a database's db/init/ and backup scripts).
  const serviceFiles: RenderedFile[] = [];
  const context = { projectName: model.projectName, networks: model.networks, sampleApp: model.sampleApp, lang: model.lang };
  for (const service of model.services) {
    const module = SERVICE_MODULES.find((m) => m.id === service.module);
    if (module?.files) serviceFiles.push(...module.files(service, context));
  }
  const ignoreModel = { ...model, contextExclusions: serviceContextExclusions(serviceFiles.map((f) => f.path)) };
  const files: RenderedFile[] = [
    { path: 'Dockerfile', content: renderTemplate('app/Dockerfile.ejs', model), kind: 'generated' },
    { path: model.composeFile, content: renderCompose(model), kind: 'generated' },
    // Development only: what `docker compose watch` reads on top of the stack's file.
    { path: WATCH_FILE, content: renderWatchOverride(model), kind: 'generated' },
    { path: '.dockerignore', content: renderTemplate('app/dockerignore.ejs', ignoreModel), kind: 'generated' },
    { path: '.gitignore', content: renderTemplate('app/gitignore-block.ejs', model), kind: 'block' },
    // Blocks: many projects have their own .gitattributes and .env.example already.
    { path: '.gitattributes', content: renderTemplate('app/gitattributes.ejs', model), kind: 'block' },
    { path: '.env.example', content: renderTemplate('app/env.example.ejs', model), kind: 'block' },
    { path: 'README.Docker.md', content: renderTemplate(`app/README.Docker.${model.lang}.md.ejs`, model), kind: 'generated' },
  ];
  if (model.sampleApp) {
    files.push(
      { path: 'server.js', content: renderTemplate('app/sample/server.js.ejs', model), kind: 'starter' },
      { path: 'package.json', content: samplePackageJson(model.projectName, model.sample.variant, model.app.install.corepackPin), kind: 'starter' },
      // The sample's lockfile for the chosen package manager and clients, so its build works with each.
      { path: model.app.install.lockfile, content: renderTemplate(`app/sample/locks/${model.sample.variant}/${model.app.install.lockfile}.ejs`, model), kind: 'starter' },
    );
  }
  files.push(...serviceFiles);
  // Registry push scripts, publish workflows, Dependabot (only for the chosen targets).
  files.push(...renderRegistryFiles(model));
  // Deploy configs and scripts (only for the chosen targets).
  files.push(...renderDeployFiles(model));
  // The workshop kit: WORKSHOP.md and scripts/offline-load.sh (only with --workshop).
  files.push(...renderWorkshopFiles(model));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
