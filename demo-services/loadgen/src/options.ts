/** loadgen's command line: `--rate`, `--duration`, `--count`, `--target`, `--every`, `--concurrency`. */
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../../shared/src/duration.ts';
import { defaultServiceUrl, parseBaseUrl, urlFromEnv } from '../../shared/src/topology.ts';

/** How loadgen runs. */
export interface LoadOptions {
  /** Requests per second. */
  rate: number;
  /** Stop after this many milliseconds (`Infinity`: run until stopped). */
  durationMs: number;
  /** Stop after this many requests (`Infinity`: no limit). */
  count: number;
  /** Frontend base URL. */
  target: string;
  /** Milliseconds between summary lines (a change of the error share or failures prints at once). */
  everyMs: number;
  /** Most requests in flight at once; the rest are skipped and counted as such. */
  concurrency: number;
}

export const USAGE = `usage: node demo-services/loadgen/src/main.ts [options]
  --rate <n>          requests per second (default 20, env LOADGEN_RATE)
  --duration <d>      stop after this long, e.g. 30s, 5m (default: run until Ctrl-C)
  --count <n>         stop after this many requests
  --target <url>      frontend URL (default env FRONTEND_URL, then http://127.0.0.1:8080)
  --every <d>         time between summary lines (default 1m); a change in the share of
                      5xx answers or refused/timed-out requests prints a line at once
  --concurrency <n>   most requests in flight (default 100)`;

/** Parses loadgen's arguments (and env defaults); throws `Error` with a message fit for the user. */
export function parseLoadOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      count: { type: 'string' },
      target: { type: 'string' },
      every: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
    return n;
  };
  return {
    rate: positive('rate', values.rate ?? env.LOADGEN_RATE, 20),
    durationMs: values.duration === undefined ? Infinity : parseDurationMs(values.duration, '--duration'),
    count: Math.floor(positive('count', values.count, Infinity)),
    target: values.target ? parseBaseUrl(values.target, '--target') : urlFromEnv('FRONTEND_URL', defaultServiceUrl('frontend'), env),
    everyMs: values.every === undefined ? 60_000 : parseDurationMs(values.every, '--every'),
    concurrency: Math.floor(positive('concurrency', values.concurrency, 100)),
  };
}
