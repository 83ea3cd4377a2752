// The deploy targets' places in the spec and the model (each target's schema.ts), in the
// canonical order: what schema/deploy.ts composes `deploy` from and ./models.ts types
// m.deploy with. The modules themselves are listed in ./index.ts, in the same order (tsc
// checks that the two agree); this half exists because the spec cannot import the
// renderers, which read the stack model the spec types.
import { acaTarget } from './aca/schema.ts';
import { ecsTarget } from './ecs/schema.ts';
import { kubernetesTarget } from './kubernetes/schema.ts';
import { swarmTarget } from './swarm/schema.ts';

export const DEPLOY_SPECS = [swarmTarget, kubernetesTarget, ecsTarget, acaTarget] as const;
