// Load generators for the bench: wrk (C, light on CPU) when it is installed, autocannon (in this
// process, JavaScript) otherwise; a paced client for latency at a fixed rate; CPU pinning.
import { execFileSync, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';

function has(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const WRK = has('wrk');
/** Pinning needs util-linux's taskset and at least 2 CPUs (server on CPU 0, load on CPU 1). */
export const PINNED = has('taskset') && process.env.BENCH_PIN !== '0' && availableParallelism() >= 2;
export const SERVER_CPU = '0';
export const LOAD_CPU = '1';

/** Pins process `pid` (all its threads) to `cpu`; a no-op when pinning is off. */
export function pin(pid, cpu) {
  if (!PINNED) return;
  execFileSync('taskset', ['-a', '-p', '-c', cpu, String(pid)], { stdio: 'ignore' });
}

/** Lets process `pid` run on every CPU again. */
export function unpin(pid) {
  if (!PINNED) return;
  execFileSync('taskset', ['-a', '-p', '-c', `0-${availableParallelism() - 1}`, String(pid)], { stdio: 'ignore' });
}

const UNIT_MS = { us: 1e-3, ms: 1, s: 1e3, m: 60e3 };

/** Parses wrk's summary (run with --latency): req/s, requests, p99 in ms, non-2xx count. */
export function parseWrk(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1]);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const errors = /Socket errors:.*$/m.exec(text)?.[0];
  if (!Number.isFinite(rps) || !p99) throw new Error(`cannot read wrk's output:\n${text}`);
  return { rps, requests, p99: Number(p99[1]) * UNIT_MS[p99[2]], non2xx, errors };
}

function runWrk(url, connections, seconds) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url];
  const [cmd, argv] = PINNED ? ['taskset', ['-c', LOAD_CPU, 'wrk', ...args]] : ['wrk', args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited with ${code}`))));
  });
}

async function runAutocannon(url, connections, seconds) {
  const out = await autocannon({ url, connections, duration: seconds });
  return { rps: out.requests.average, requests: out.requests.total, p99: out.latency.p99, non2xx: out.non2xx };
}

/** Closed-loop load at full speed: req/s, requests and p99 (ms). */
export function saturate(url, connections, seconds) {
  return WRK ? runWrk(url, connections, seconds) : runAutocannon(url, connections, seconds);
}

/**
 * Open-loop load at `rate` req/s for `seconds` over keep-alive connections, each request timed
 * from its send to the end of its response with a monotonic clock (sub-millisecond). The server
 * is far from saturated at this rate, so the latency is its cost per request, not a queue.
 */
export async function paced(url, rate, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const latencies = [];
  let failed = 0;
  const one = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request(url, { agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t0);
          else failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end();
    });
  const total = Math.round(rate * seconds);
  const pending = [];
  const start = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        pending.push(one());
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), count: latencies.length, failed };
}
