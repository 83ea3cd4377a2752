// The pieces of the publish workflows (.github/workflows/publish-<target>.yml): typed
// objects serialised with `yaml`. The targets use block, expr and varOr for their own
// steps; ./render.ts puts a job together with the shared steps below.
import { Scalar } from 'yaml';
import type { Obj } from './types.ts';

/** Action majors every workflow uses; Dependabot keeps them current afterwards. A target's own are in its module. */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  qemu: 'docker/setup-qemu-action@v4',
  buildx: 'docker/setup-buildx-action@v4',
  login: 'docker/login-action@v4',
  metadata: 'docker/metadata-action@v6',
  buildPush: 'docker/build-push-action@v7',
} as const;

/** A multi-line string written as a YAML literal block (`|`), as people write `run:` scripts. */
export function block(lines: readonly string[]): Scalar {
  const node = new Scalar(`${lines.join('\n')}\n`);
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

export const expr = (inner: string): string => `\${{ ${inner} }}`;

/** `vars.NAME`, falling back to a generation-time default when there is one. */
export const varOr = (name: string, fallback: string | undefined): string =>
  expr(fallback === undefined ? `vars.${name}` : `vars.${name} || '${fallback.replaceAll("'", "''")}'`);

/** A step that fails early, naming each repository variable or secret that is not set. */
export function checkStep(required: ReadonlyArray<readonly [string, string]>): Obj {
  const env: Obj = {};
  for (const [name, source] of required) env[name] = expr(source);
  return {
    name: 'Check the settings',
    env,
    run: block([
      'missing=0',
      `for name in ${required.map(([name]) => name).join(' ')}; do`,
      '  if [ -z "${!name}" ]; then',
      '    echo "::error::$name is not set: add it under Settings > Secrets and variables > Actions (see README.Docker.md)"',
      '    missing=1',
      '  fi',
      'done',
      'exit "$missing"',
    ]),
  };
}

export function setupSteps(): Obj[] {
  return [
    { name: 'Check out', uses: ACTIONS.checkout, with: { 'persist-credentials': false } },
    { name: 'Set up QEMU (for other platforms)', uses: ACTIONS.qemu },
    { name: 'Set up Buildx', uses: ACTIONS.buildx },
  ];
}

/** Tags, build and push (with cache, provenance and an SBOM), and the job summary. */
export function tagSteps(images: string, target: string, buildTarget: string): Obj[] {
  return [
    {
      name: 'Image tags',
      id: 'meta',
      uses: ACTIONS.metadata,
      with: {
        images,
        tags: block([
          'type=sha',
          'type=semver,pattern={{version}}',
          'type=semver,pattern={{major}}.{{minor}}',
          'type=raw,value=latest,enable={{is_default_branch}}',
        ]),
        flavor: 'latest=false',
      },
    },
    {
      name: 'Build and push',
      id: 'push',
      uses: ACTIONS.buildPush,
      with: {
        context: '.',
        target: buildTarget,
        platforms: expr('env.PLATFORMS'),
        push: true,
        tags: expr('steps.meta.outputs.tags'),
        labels: expr('steps.meta.outputs.labels'),
        annotations: expr('steps.meta.outputs.annotations'),
        'cache-from': `type=gha,scope=publish-${target}`,
        'cache-to': `type=gha,mode=max,scope=publish-${target}`,
        provenance: 'mode=max',
        sbom: true,
      },
    },
    {
      name: 'Summary',
      env: { DIGEST: expr('steps.push.outputs.digest'), TAGS: expr('steps.meta.outputs.tags') },
      run: block([
        '{',
        '  echo "### Pushed"',
        '  echo',
        '  echo "$TAGS" | while read -r ref; do [ -n "$ref" ] && echo "- \\`$ref@$DIGEST\\`"; done',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ]),
    },
  ];
}
