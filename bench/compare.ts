/**
 * Before/after comparison of the calls, media and REGISTER benchmarks: each tree runs its own bench
 * scripts, in alternation (A B B A per round pair, so a drift of the machine's load over the session
 * hits both trees alike), and the table gives each figure's median per tree.
 *
 *   node --import tsx bench/compare.ts --before ../wt-before --after . --rounds 2 [--only calls,register]
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Command } from 'commander';

interface Bench {
  readonly name: string;
  readonly command: readonly string[];
  /** Which JSON rows to compare (one per step) and how to label them. */
  readonly label: (row: Record<string, unknown>) => string;
  /** Figures compared; lower is better for every one of them. */
  readonly figures: readonly string[];
}

const BENCHES: readonly Bench[] = [
  {
    name: 'calls',
    command: ['bash', 'bench/calls/run.sh', '--rates', '200', '--seconds', '20', '--hold', '2'],
    label: (r) => `${String(r['rate'])}/s`,
    figures: ['failedPct', 'ring99', 'answer50', 'answer99', 'cpuPct'],
  },
  {
    name: 'media',
    command: ['node', '--import', 'tsx', 'bench/media/run.ts', '--mode', 'bridge', '--n', '50,200', '--seconds', '5'],
    label: (r) => `bridge ${String(r['n'])} pairs`,
    figures: ['lossPct', 'p99JitterMs', 'schedulerP99Ms', 'cpuPctPerStream'],
  },
  {
    name: 'media',
    command: ['node', '--import', 'tsx', 'bench/media/run.ts', '--mode', 'play', '--n', '200', '--seconds', '5'],
    label: (r) => `play ${String(r['n'])}`,
    figures: ['lossPct', 'p99JitterMs', 'schedulerP99Ms', 'cpuPctPerStream'],
  },
  {
    name: 'register',
    command: ['bash', 'bench/register/run.sh', '--rates', '1000', '--seconds', '10', '--clients', '10000'],
    label: (r) => `${String(r['rate'])}/s`,
    figures: ['failed', 'p50', 'p99', 'cpuPct'],
  },
];

/** Runs one benchmark in `cwd` and returns the JSON rows it printed, one per step. */
function run(bench: Bench, cwd: string): Promise<Record<string, unknown>[]> {
  return new Promise((done, fail) => {
    const [cmd, ...args] = bench.command;
    if (cmd === undefined) return fail(new Error(`${bench.name}: empty command`));
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`${bench.name} in ${cwd} exited with ${String(code)}`));
      const rows = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      done(rows);
    });
  });
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

const opts = new Command()
  .requiredOption('--before <dir>', 'checkout of the code before the change')
  .requiredOption('--after <dir>', 'checkout of the code after the change')
  .option('--rounds <n>', 'runs of every benchmark per tree (alternated A B B A ...)', '2')
  .option('--only <names>', 'comma-separated benchmarks to run (calls, media, register); default all')
  .parse()
  .opts<{ before: string; after: string; rounds: string; only?: string }>();

const only = opts.only === undefined ? null : new Set(opts.only.split(','));
const chosen = BENCHES.filter((b) => only === null || only.has(b.name));

const trees = { before: resolve(opts.before), after: resolve(opts.after) } as const;
type Tree = keyof typeof trees;
/** samples[bench label][figure][tree] */
const samples = new Map<string, Map<string, Record<Tree, number[]>>>();

const rounds = Number(opts.rounds);
for (let round = 0; round < rounds; round++) {
  const order: readonly Tree[] = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const bench of chosen) {
    for (const tree of order) {
      const rows = await run(bench, trees[tree]);
      console.error(`round ${round + 1}/${rounds} ${bench.name} ${tree}: ${rows.length} rows`);
      for (const row of rows) {
        const key = `${bench.name} ${bench.label(row)}`;
        const byFigure = samples.get(key) ?? new Map<string, Record<Tree, number[]>>();
        samples.set(key, byFigure);
        for (const figure of bench.figures) {
          const cell = byFigure.get(figure) ?? { before: [], after: [] };
          byFigure.set(figure, cell);
          cell[tree].push(Number(row[figure]));
        }
      }
    }
  }
}

console.log(`\n${rounds} alternated runs per tree; medians (all runs in brackets); lower is better for every figure\n`);
console.log('| benchmark | figure | before | after |');
console.log('|---|---|---|---|');
for (const [key, byFigure] of samples) {
  for (const [figure, cell] of byFigure) {
    const show = (v: number[]): string => `${median(v).toFixed(2)} (${v.map((x) => x.toFixed(1)).join(', ')})`;
    console.log(`| ${key} | ${figure} | ${show(cell.before)} | ${show(cell.after)} |`);
  }
}
