// Docker Swarm's part of the spec: deploy.swarm.
import * as z from 'zod';
import { count } from '../rules.ts';
import { deployTarget } from '../shared.ts';
import type { SwarmModel } from './types.ts';

export const SwarmSpec = z
  .strictObject({
    appReplicas: count('the number of app replicas', 1, 100).default(2),
  })
  .prefault({})
  .meta({ description: 'Docker Swarm: deploy/swarm/stack.yml and scripts/deploy-swarm.sh' });

export type SwarmSpec = z.output<typeof SwarmSpec>;

/** Its place in the spec and the model (./index.ts adds the rest of the module). */
export const swarmTarget = deployTarget<SwarmModel>()('swarm', 'Docker Swarm', SwarmSpec);
