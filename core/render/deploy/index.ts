// Deploy targets: every file a chosen target adds (configs under deploy/<target>/, the
// script scripts/deploy-<target>.sh). Pure: no file system access besides templates.
import type { StackModel } from '../../types.ts';
import { renderTemplate } from '../../templates.ts';
import type { RenderedFile } from '../../rendered.ts';
import { renderAcaFiles } from './aca.ts';
import { renderEcsTaskDefinition } from './ecs.ts';
import { renderKubernetesFiles } from './kubernetes.ts';
import { renderSwarmStack } from './swarm.ts';

export function renderDeployFiles(m: StackModel): RenderedFile[] {
  const d = m.deploy;
  const files: RenderedFile[] = [];
  for (const target of d.targets) {
    switch (target.id) {
      case 'swarm':
        files.push({ path: d.swarm.file, content: renderSwarmStack(m), kind: 'generated' });
        break;
      case 'kubernetes':
        files.push(...renderKubernetesFiles(m));
        break;
      case 'ecs':
        files.push({ path: d.ecs.file, content: renderEcsTaskDefinition(m), kind: 'generated' });
        break;
      case 'aca':
        files.push(...renderAcaFiles(m));
        break;
    }
    files.push({ path: target.script, content: renderTemplate(`deploy/deploy-${target.id}.sh.ejs`, m), kind: 'generated', mode: 0o755 });
  }
  return files;
}
