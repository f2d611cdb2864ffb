/** Progress bars (cli-progress) on a terminal; periodic plain lines otherwise (CI, redirected output). */
import * as cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, label?: string): void;
  stop(): void;
}

export function progressBar(title: string, total: number, quiet = false): Progress {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (!process.stderr.isTTY) {
    let last = 0;
    const t0 = Date.now();
    return {
      update(value, label) {
        const now = Date.now();
        if (now - last > 15000 || value >= total) {
          last = now;
          process.stderr.write(`  ${title}: ${value}/${total} ${label ?? ''} (${((now - t0) / 1000).toFixed(0)} s)\n`);
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `  ${title.padEnd(28).slice(0, 28)} [{bar}] {percentage}% | {value}/{total} | {label} | ETA {eta_formatted}`, hideCursor: true, stream: process.stderr, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (value, label) => bar.update(value, { label: label ?? '' }),
    stop: () => bar.stop(),
  };
}
