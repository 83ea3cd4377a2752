// The workshop model's types (m.workshop): the lesson's names, steps and shown blocks.
// Types only, and no import of the stack model: core/types.ts builds on these.

/** What a step promises; every field given must hold (test/live/workshop-lesson.test.ts). */
export interface StepExpect {
  /** Exit status (default 0). */
  exit?: number;
  /** The whole stdout, trimmed, equals this. */
  stdoutIs?: string;
  /** The trimmed stdout matches this regular expression. */
  match?: string;
  /** Each appears in stdout or stderr. */
  output?: string[];
  /** None appears in stdout or stderr. */
  absent?: string[];
  /** For each list: some stdout line contains every string of it. */
  line?: string[][];
  /** For each list: no stdout line contains every string of it. */
  noLine?: string[][];
  /** Files (relative to the project) that exist afterwards. */
  files?: string[];
  /** Run again up to this many times, a second apart, until the expectation holds (a service still starting). */
  retries?: number;
}

export interface LessonStep {
  id: string;
  /** The commands, one a line, run by bash in the project folder. */
  run: string;
  expect: StepExpect;
}

export interface ShownBlock {
  id: string;
  /** The commands as an attendee types them; never run by the tests. */
  text: string;
  /** An interactive form: the runnable step with the same id is its non-interactive form. */
  interactive?: boolean;
  /** Why it is not run (when it is not an interactive form). */
  reason?: string;
}

export interface WorkshopModel {
  /** Container and image names the lesson creates, all prefixed with the project name. */
  names: {
    tryout: string;
    tryoutImage: string;
    tryoutTag: string;
    redis: string;
    web: string;
    webAll: string;
  };
  /** The image the first steps run (the project's base image) and its shell. */
  image: string;
  shell: string;
  redisImage: string;
  /** The host port the `-p` step publishes on (next to the app's). */
  tryPort: number;
  /** The first chosen registry target's push script, if any. */
  push: { script: string; label: string } | undefined;
  deploys: Array<{ id: string; label: string; script: string }>;
  /** The runnable steps, in lesson order. */
  steps: LessonStep[];
  /** Markdown of each block, by id: `run` (runnable) and `shown` (interactive form or note). */
  md: Record<string, { run?: string; shown?: string }>;
  offline: { dir: string; archive: string; sums: string; manifest: string; script: string };
}
