// Deploy targets: every file a chosen target adds (its configs under deploy/<target>/, from
// its module, and its script scripts/deploy-<target>.sh from <target>/deploy.sh.ejs). Pure:
// no file system access besides templates.
import type { StackModel } from '../../core/types.ts';
import { renderTemplate } from '../../core/templates.ts';
import type { RenderedFile } from '../../core/rendered.ts';
import { DEPLOY_MODULES } from './index.ts';

export function renderDeployFiles(m: StackModel): RenderedFile[] {
  const chosen = new Set(m.deploy.targets.map((t) => t.id));
  const files: RenderedFile[] = [];
  for (const module of DEPLOY_MODULES) {
    if (!chosen.has(module.id)) continue;
    files.push(...module.files(m));
    files.push({ path: m.deploy.byId[module.id].script, content: renderTemplate(`targets/deploy/${module.id}/deploy.sh.ejs`, m), kind: 'generated', mode: 0o755 });
  }
  return files;
}
