// THE table of commit SHAs the publish workflows pin their actions to (registries.actionRefs
// "sha", the default): each action major the workflows use (workflow.ts ACTIONS and the
// targets' own), the release tag it was pinned at and the full commit SHA that tag resolves
// to. A workflow then reads `uses: owner/repo@<sha> # <tag>`, the form Dependabot's
// github-actions updater keeps current (it moves the SHA and the comment together).
//
// None of these is typed from memory. Each SHA was looked up (no network to GitHub here) in
// public records made by machines from the tag itself, and agreed on by independent ones:
// GitHub Actions run logs ("Download action repository 'actions/checkout@v7'
// (SHA:...)"), Dependabot's own compare links between two releases, and several unrelated
// repositories pinning the same SHA with the same tag comment. `evidence` says which.
// An action without a verified SHA stays on its major tag (pinned: undefined), and the
// workflow says so in a comment; a test lists every such entry.

export interface ActionPin {
  /** The release tag the SHA is (the comment Dependabot updates with it). */
  tag: string;
  /** Full 40-hex commit SHA. */
  sha: string;
  evidence: string;
}

/** By the reference the workflows use (owner/repo@major): the pin, or undefined when none could be verified. */
export const ACTION_PINS: Readonly<Record<string, ActionPin | undefined>> = {
  'actions/checkout@v7': {
    tag: 'v7.0.1',
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    evidence: "an Actions run log resolving actions/checkout@v7 to it; Dependabot's compare link v7.0.0...v7.0.1 (9c091bb...3d3c42e); many repositories pinning it as v7.0.1",
  },
  'docker/setup-qemu-action@v4': {
    tag: 'v4.3.0',
    sha: '1f40c72289eff860ee54a304f1438e3cff362e0a',
    evidence: 'several repositories pinning it as v4.3.0, one "re-derived from the release tag via git/ref/tags"',
  },
  'docker/setup-buildx-action@v4': {
    tag: 'v4.3.0',
    sha: '37fe631027851001ddb9b187196cc803df7f5f0e',
    evidence: 'an Actions run log resolving docker/setup-buildx-action@v4 to it; several repositories pinning it as v4.3.0',
  },
  'docker/login-action@v4': {
    tag: 'v4.6.0',
    sha: 'dbcb813823bdd20940b903addbd779551569679f',
    evidence: 'an Actions run log resolving docker/login-action@v4 to it; several repositories pinning it as v4.6.0',
  },
  'docker/metadata-action@v6': {
    tag: 'v6.2.0',
    sha: 'dc802804100637a589fabce1cb79ff13a1411302',
    evidence: 'several repositories pinning it as v6.2.0',
  },
  'docker/build-push-action@v7': {
    tag: 'v7.3.0',
    sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
    evidence: 'an Actions run log resolving docker/build-push-action@v7 to it; several repositories pinning it as v7.3.0',
  },
  'aws-actions/configure-aws-credentials@v6': {
    tag: 'v6.2.4',
    sha: 'cbe3b392738ccf3f987d68400dafcf4b0624a56c',
    evidence: 'several repositories pinning it as v6.2.4, one "from git/ref/tags/v6.2.4"',
  },
  // No verified SHA for v2 could be found (no run log, compare link or agreeing pins): tag.
  'aws-actions/amazon-ecr-login@v2': undefined,
  'google-github-actions/auth@v3': {
    tag: 'v3.0.0',
    sha: '7c6bc770dae815cd3e89ee6cdf493a5fab2cc093',
    evidence: 'several repositories pinning it as v3.0.0, one noting v3 and v3.0.0 are the same lightweight tag',
  },
  'google-github-actions/setup-gcloud@v3': {
    tag: 'v3.0.1',
    sha: 'aa5489c8933f4cc7a4f7d45035b3b1440c9c10db',
    evidence: 'several repositories pinning it as v3.0.1',
  },
  'azure/login@v3': {
    tag: 'v3.0.2',
    sha: '7ddb5af1ef8758cf1353cf3b42f940aee27ba21c',
    evidence: "Dependabot's compare link v3.0.1...v3.0.2 (f5d393a...7ddb5af); several repositories pinning it",
  },
};

export type ActionRefs = 'sha' | 'tag';

/** What a step's `uses:` says: the reference, and the comment after it (the tag of a pinned SHA). */
export interface UsesRef {
  ref: string;
  comment: string | undefined;
}

/** `owner/repo@vN` as the workflow writes it: pinned to its SHA (with the tag as comment) when asked and known. */
export function usesRef(uses: string, refs: ActionRefs): UsesRef {
  if (refs === 'tag') return { ref: uses, comment: undefined };
  if (!Object.hasOwn(ACTION_PINS, uses)) throw new Error(`internal error: ${uses} has no entry in ACTION_PINS (targets/registry/action-pins.ts)`);
  const pin = ACTION_PINS[uses];
  if (!pin) return { ref: uses, comment: 'no verified commit SHA for this action yet: on its major tag' };
  return { ref: `${uses.slice(0, uses.lastIndexOf('@'))}@${pin.sha}`, comment: pin.tag };
}

/** The major reference (owner/repo@vN) a `uses:` value stands for: itself, or the entry whose SHA it pins. */
export function unpinned(uses: string): string {
  const at = uses.lastIndexOf('@');
  const sha = uses.slice(at + 1);
  for (const [ref, pin] of Object.entries(ACTION_PINS)) {
    if (pin && pin.sha === sha && ref.slice(0, ref.lastIndexOf('@')) === uses.slice(0, at)) return ref;
  }
  return uses;
}
