/**
 * npm run demo:claims [-- <claim>] [--quick] [--seeds n]
 *
 * Measures what the seed article claims about activations and computes a verdict for each, one
 * file per claim under demos/claims/:
 *   saturation    sigmoid saturates and kills gradients (per-layer gradient norms in deep MLPs)
 *   zero-centred  sigmoid is not zero-centred and that slows training (vs tanh and sigmoid − 0.5)
 *   relu-vs-tanh  "ReLU converges 6× faster than tanh" (steps to training-error thresholds, CNN)
 *   dead-relu     "about 20% of ReLU units die" (and leaky ReLU / ELU / maxout don't)
 *   ranking       the takeaways: final ranking of relu, leaky relu, elu, maxout, tanh, sigmoid
 */
import * as path from 'path';
import { Command } from 'commander';
import { CLAIMS, claimContext, RUNNERS, type ClaimName, type ClaimResult } from './claims/index';
import { saveClaimResults, verdictTable, writeClaimReports } from './claims/report';
import { describeEnv, precisionNote, setupBackend, type RunEnv } from './lib/env';
import { formatTable } from './lib/report';
import { formatVerdict } from './lib/verdict';

const program = new Command()
  .name('npm run demo:claims --')
  .argument('[claims...]', `claims to run (default all): ${CLAIMS.join(', ')}`)
  .option('--quick', 'fewer seeds, steps and conditions')
  .option('--seeds <n>', 'seeds per condition')
  .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
  .option('--out <dir>', 'output folder', path.join(__dirname, 'out', 'claims'))
  .option('--save-results', 'copy the main charts and tables to demos/results/ and rewrite docs/demos.md')
  .parse();
const opts = program.opts<{ quick?: boolean; seeds?: string; backend?: string; out: string; saveResults?: boolean }>();
const chosen = (program.args.length ? program.args : [...CLAIMS]) as ClaimName[];
for (const c of chosen) if (!CLAIMS.includes(c)) throw new Error(`unknown claim '${c}'; known: ${CLAIMS.join(', ')}`);

/** Runs one claim and prints its claim, method, tables and verdicts. */
async function runClaim(name: ClaimName, ctx: ReturnType<typeof claimContext>): Promise<ClaimResult> {
  const tc = Date.now();
  const r = await RUNNERS[name](ctx);
  r.seconds = (Date.now() - tc) / 1000;
  console.log(`\n=== ${name} (${r.seconds.toFixed(0)} s) ===`);
  console.log(`CLAIM: ${r.claim}`);
  console.log(`HOW:   ${r.method}`);
  for (const t of r.tables) console.log('\n' + formatTable(t));
  for (const v of r.verdicts) console.log(`\n[${v.about}]\n${formatVerdict(v.verdict)}`);
  return r;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const env: RunEnv = await setupBackend(opts.backend);
  env.notes.push(precisionNote(env.backend));
  const quick = !!opts.quick;
  const ctx = claimContext({ quick, seeds: opts.seeds ? Number(opts.seeds) : undefined, out: opts.out });
  console.log(`Seed-article claims — ${describeEnv(env)}`);
  for (const n of env.notes) console.log(`  note: ${n}`);
  console.log(`  ${quick ? 'quick run' : 'full run'}; ${ctx.seeds} seed(s) per condition; data: seeded 8,000/2,000 split of the mnist package's 10,000 digits\n`);
  const results: ClaimResult[] = [];
  for (const name of chosen) results.push(await runClaim(name, ctx));
  const summary = verdictTable(results);
  console.log('\n' + formatTable(summary));
  const wall = (Date.now() - t0) / 1000;
  const subtitle = `${describeEnv(env)} | ${quick ? 'quick' : 'full'} run, ${ctx.seeds} seed(s), ${wall.toFixed(0)} s wall`;
  const written = writeClaimReports(opts.out, { env, quick, seeds: ctx.seeds, wall, subtitle, results, summary });
  console.log(`\nWrote ${written.length} report files and ${results.reduce((a, r) => a + r.charts.length, 0) * 2} chart files under ${opts.out}`);
  console.log(`Wall time: ${wall.toFixed(0)} s (${results.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(', ')})`);
  if (opts.saveResults) {
    saveClaimResults({ env, quick, wall, results, summary });
    console.log('Saved current results to demos/results/ and docs/demos.md');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
