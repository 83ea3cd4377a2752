// Part 2: what the pure core costs as the stack grows. In process, on the TypeScript
// sources: validate (zod), derive the model, render every file, for specs with 1, 10, 100
// and 500 extra services. Rounds visit the sizes in a rotating order so drift spreads.
import { median } from './lib/measure.ts';
import { log, type GoalRow } from './lib/report.ts';

export const SIZES = [1, 10, 100, 500] as const;

function specWith(n: number): Record<string, unknown> {
  return {
    projectName: 'bench',
    extraServices: Array.from({ length: n }, (_, i) => ({
      name: `worker-${i}`,
      image: 'ghcr.io/acme/worker:1.4.2',
      command: ['worker', '--queue', `q${i}`],
      environment: { QUEUE: `q${i}`, ROLE: 'worker' },
      port: 8000 + (i % 1000),
    })),
  };
}

export interface RenderResult {
  rows: GoalRow[];
  markdown: string;
  medians: Record<number, number>;
}

export async function runRender(rounds: number, warmup: number): Promise<RenderResult> {
  const { resolveSpec } = await import('../core/spec.ts');
  const { deriveModel } = await import('../core/model.ts');
  const { renderAppFiles } = await import('../core/render/files.ts');
  const specs = new Map<number, Record<string, unknown>>(SIZES.map((n) => [n, specWith(n)]));
  const once = (n: number): number => {
    const start = performance.now();
    const spec = resolveSpec([{ source: 'bench', values: specs.get(n)! }], { dirName: 'bench' });
    const files = renderAppFiles(deriveModel(spec, { sampleApp: true }));
    const ms = performance.now() - start;
    const compose = files.find((f) => f.path === 'docker-compose.yml')?.content ?? '';
    const rendered = compose.match(/^ {2}worker-\d+:$/gm)?.length ?? 0;
    if (rendered !== n) throw new Error(`rendering ${n} extra services wrote ${rendered}`);
    return ms;
  };
  log(`part 2: ${warmup} warm-up round(s), ${rounds} measured rounds over ${SIZES.join(', ')} extra services`);
  for (let r = 0; r < warmup; r++) for (const n of SIZES) once(n);
  const times = new Map<number, number[]>(SIZES.map((n) => [n, [] as number[]]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < SIZES.length; k++) {
      const n = SIZES[(r + k) % SIZES.length]!;
      times.get(n)!.push(once(n));
    }
  }
  const medians: Record<number, number> = {};
  for (const n of SIZES) medians[n] = median(times.get(n)!);
  const slope = (from: number, to: number): number => (medians[to]! - medians[from]!) / (to - from);
  const table = ['| extra services | median (validate + derive + render all files) | per service, marginal from 1 | per service, average |', '| ---: | ---: | ---: | ---: |'];
  for (const n of SIZES) {
    const marginal = n === 1 ? '' : `${slope(1, n).toFixed(3)} ms`;
    table.push(`| ${n} | ${medians[n]!.toFixed(2)} ms | ${marginal} | ${(medians[n]! / n).toFixed(3)} ms |`);
  }
  const s1 = slope(10, 100);
  const s2 = slope(100, 500);
  const worst = Math.max(slope(1, 10), s1, s2);
  const linear = s2 / s1;
  const rows: GoalRow[] = [
    { part: '2', what: 'render cost per extra service (worst marginal slope)', goal: '< 1 ms', value: `${worst.toFixed(3)} ms`, met: worst < 1 },
    {
      part: '2',
      what: 'linear: slope 100 -> 500 over slope 10 -> 100',
      goal: '0.5x to 2x',
      value: `${linear.toFixed(2)}x`,
      met: linear >= 0.5 && linear <= 2,
    },
  ];
  const markdown = [`In process, warm (after ${warmup} warm-up round(s)), median of ${rounds} rounds that visit the sizes in a rotating order.`, '', ...table].join('\n');
  return { rows, markdown, medians };
}
