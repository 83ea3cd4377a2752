// THE list of registry targets, in their canonical order (the order of --registry lists,
// files, README sections and workflows). Everything else derives from it: the spec and
// the naming rules (schema/registry.ts), the CLI flags (core/options.ts), the model, the
// scripts, the workflows and the README sections (./render.ts). Adding a target is one
// folder like ./ecr/ and one line here (ARCHITECTURE.md, "How to add a registry target").
import { acr } from './acr/index.ts';
import { dockerhub } from './dockerhub/index.ts';
import { ecr } from './ecr/index.ts';
import { gar } from './gar/index.ts';
import { ghcr } from './ghcr/index.ts';
import { registry } from './registry/index.ts';

export const REGISTRY_MODULES = [dockerhub, ecr, gar, acr, ghcr, registry] as const;
