// Docker Swarm: deploy/swarm/stack.yml for `docker stack deploy`, and scripts/deploy-swarm.sh.
import type { DeployTargetModule } from '../module.ts';
import { renderSwarmStack } from './render.ts';
import { swarmTarget, type SwarmSpec } from './schema.ts';
import type { SwarmModel } from './types.ts';

export const swarm: DeployTargetModule<'swarm', typeof SwarmSpec, SwarmModel> = {
  ...swarmTarget,
  derive(spec, { m, secrets, stateful }) {
    const configFiles = stateful.flatMap((x) => x.initFiles);
    const maxStackName = 64 - 2 - 12 - Math.max(...secrets.map((x) => x.name.length), ...configFiles.map((x) => x.key.length));
    return {
      file: 'deploy/swarm/stack.yml',
      stackName: m.projectName.slice(0, maxStackName).replace(/[-_.]+$/, ''),
      appReplicas: spec.appReplicas,
      placement: 'node.role == manager',
      maxStackName,
      configFiles: configFiles.map((x) => x.file),
    };
  },
  sh: (s, _context, q) => ({ stackName: q(s.stackName), stackFile: q(s.file) }),
  files: (m) => [{ path: m.deploy.swarm.file, content: renderSwarmStack(m), kind: 'generated' }],
};
