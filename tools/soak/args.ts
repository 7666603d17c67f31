/** The soak's command line: `npm run soak -- [--duration 10m] [--rate 40] [--out <dir>]`. */
import path from 'node:path';
import { REPO_ROOT } from '@periscope-demo/launcher';
import { parseDurationMs } from '@periscope-demo/shared';

/** What a run is asked to do. */
export interface SoakArgs {
  /** Planned length of the phases (start-up and the final drain come on top). */
  durationMs: number;
  /** Steady requests per second. */
  rate: number;
  /** Folder of the report and the services' log files. */
  outDir: string;
}

/** The default run: 10 minutes at 40 requests per second, into `.periscope/soak/`. */
export const DEFAULT_ARGS: Readonly<SoakArgs> = Object.freeze({ durationMs: 600_000, rate: 40, outDir: path.join(REPO_ROOT, '.periscope', 'soak') });

export const USAGE = `usage: npm run soak -- [--duration 10m] [--rate 40] [--out .periscope/soak]
  --duration  length of the phases: 2m, 10m, 1h, 1h30m (default 10m; at least 2m)
  --rate      steady requests per second (default 40)
  --out       folder of report.json, report.md and the services' logs`;

/** Parses the soak's arguments. Throws an `Error` naming the flag and value on bad input. */
export function parseArgs(argv: readonly string[]): SoakArgs {
  const args: SoakArgs = { ...DEFAULT_ARGS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=') ? flag.split(/=(.*)/s, 2) as [string, string] : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === '--duration') {
      const raw = value();
      args.durationMs = parseDurationMs(raw, '--duration');
      if (args.durationMs < 120_000) throw new Error(`--duration ${raw} is too short: at least 2m (each phase needs ~10 s)`);
    } else if (name === '--rate') {
      const raw = value();
      const rate = Number(raw);
      if (!Number.isFinite(rate) || rate < 1 || rate > 500) throw new Error(`--rate "${raw}" must be a number of requests per second from 1 to 500`);
      args.rate = rate;
    } else if (name === '--out') {
      args.outDir = path.resolve(value());
    } else {
      throw new Error(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  return args;
}
