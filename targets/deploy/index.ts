// THE list of deploy target modules, in their canonical order (the order of --deploy lists,
// files, README sections and the lesson): ./model.ts derives m.deploy from it and
// ./render.ts the files. Each target's place in the spec (its schema.ts) is listed in
// ./specs.ts, for schema/deploy.ts, in the same order: tsc checks below that the two lists
// agree. Adding a target is one folder like ./ecs/ and its line in both lists
// (ARCHITECTURE.md, "How to add a deploy target").
import { aca } from './aca/index.ts';
import { ecs } from './ecs/index.ts';
import { kubernetes } from './kubernetes/index.ts';
import type { DEPLOY_SPECS } from './specs.ts';
import { swarm } from './swarm/index.ts';

export const DEPLOY_MODULES = [swarm, kubernetes, ecs, aca] as const;

type Ids<T extends ReadonlyArray<{ id: string }>> = { readonly [I in keyof T]: T[I]['id'] };
type Expect<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Checked by tsc: the modules are the spec parts' targets, in the same order. */
export type ListsAgree = Expect<Same<Ids<typeof DEPLOY_MODULES>, Ids<typeof DEPLOY_SPECS>>>;
