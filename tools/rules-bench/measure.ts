/**
 * What the benchmark reads from Prometheus about itself: its rule groups' evaluations (from
 * /api/v1/rules, once per evaluation), its own metrics (head series, RSS, samples the rules wrote,
 * missed iterations), and the samples each SLO rule reads (an instant query of the rule's
 * expression with `stats=all`).
 */

interface ApiRule {
  name: string;
  query: string;
  type: 'recording' | 'alerting';
  evaluationTime: number;
  health: string;
  lastError?: string;
}
interface ApiGroup {
  name: string;
  file: string;
  interval: number;
  evaluationTime: number;
  lastEvaluation: string;
  rules: ApiRule[];
}

async function api<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(120_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`GET ${path}: ${body.error ?? res.status}`);
  return body.data;
}

export async function ruleGroups(base: string): Promise<ApiGroup[]> {
  return (await api<{ groups: ApiGroup[] }>(base, '/api/v1/rules')).groups;
}

/** The value of an instant query that returns one number (NaN when it returns nothing). */
export async function scalar(base: string, query: string): Promise<number> {
  const data = await api<{ result: { value: [number, string] }[] }>(base, `/api/v1/query?query=${encodeURIComponent(query)}`);
  return data.result.length === 0 ? Number.NaN : Number(data.result[0]!.value[1]);
}

/** Samples an instant query of `expr` read (Prometheus' `stats=all`: totalQueryableSamples). */
export async function samplesRead(base: string, expr: string): Promise<number> {
  const data = await api<{ stats?: { samples?: { totalQueryableSamples?: number } } }>(base, `/api/v1/query?stats=all&query=${encodeURIComponent(expr)}`);
  return data.stats?.samples?.totalQueryableSamples ?? Number.NaN;
}

/** Samples of Prometheus' own /metrics, by name and label text: `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    values.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return values;
}

/** Sum of every sample of `name` whose labels contain `labelPart` (e.g. `rule_group="…"`). */
export function sumOf(metrics: Map<string, number>, name: string, labelPart = ''): number {
  let sum = 0;
  for (const [key, value] of metrics) {
    const bare = key.split('{')[0];
    if (bare === name && key.includes(labelPart)) sum += value;
  }
  return sum;
}

export async function selfMetrics(base: string): Promise<Map<string, number>> {
  const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(30_000) });
  return parseMetrics(await res.text());
}

async function cpuSeconds(base: string): Promise<number> {
  return sumOf(await selfMetrics(base), 'process_cpu_seconds_total');
}

/**
 * Prometheus' CPU seconds per instant query of `expr` at `at` (Unix seconds), with no rules loaded (so nothing else
 * evaluates), less what it spends meanwhile on scrapes (`idlePerSecond`): the cost of one
 * evaluation of a rule, whatever else the machine runs. Repeats the query for at least
 * `minSeconds` (and twice) so the 10 ms resolution of the CPU counter does not show.
 */
export async function cpuPerQuery(base: string, expr: string, at: number, idlePerSecond: number, minSeconds = 2): Promise<{ cpu: number; wall: number }> {
  const url = `${base}/api/v1/query?time=${at}&query=${encodeURIComponent(expr)}`;
  const before = await cpuSeconds(base);
  const started = Date.now();
  let runs = 0;
  while (runs < 2 || (Date.now() - started < minSeconds * 1000 && runs < 200)) {
    await fetch(url, { signal: AbortSignal.timeout(300_000) }).then((r) => r.arrayBuffer());
    runs += 1;
  }
  const wall = (Date.now() - started) / 1000;
  const cpu = (await cpuSeconds(base)) - before - idlePerSecond * wall;
  return { cpu: Math.max(0, cpu) / runs, wall: wall / runs };
}

/** Prometheus' CPU seconds per second over `seconds` of doing nothing but scraping. */
export async function idleCpu(base: string, seconds = 10): Promise<number> {
  const before = await cpuSeconds(base);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((await cpuSeconds(base)) - before) / seconds;
}

/** One evaluation of one group: how long it took, and how long each of its rules took. */
export interface Evaluation {
  readonly at: string;
  readonly seconds: number;
  readonly rules: readonly number[];
}

/** Collects every evaluation of every group seen while polling. */
export class EvaluationLog {
  readonly byGroup = new Map<string, { file: string; rules: string[]; evaluations: Evaluation[] }>();
  maxRss = 0;
  /** Prometheus' CPU seconds at the first and the last poll. */
  cpu: [number, number] = [Number.NaN, Number.NaN];
  polls = 0;

  /** Records the groups' latest evaluations (each once) and the RSS now. */
  async poll(base: string): Promise<void> {
    for (const g of await ruleGroups(base)) {
      const entry = this.byGroup.get(g.name) ?? { file: g.file, rules: g.rules.map(ruleLabel), evaluations: [] };
      this.byGroup.set(g.name, entry);
      const last = entry.evaluations.at(-1);
      if (g.lastEvaluation.startsWith('0001-') || last?.at === g.lastEvaluation) continue;
      entry.evaluations.push({ at: g.lastEvaluation, seconds: g.evaluationTime, rules: g.rules.map((r) => r.evaluationTime) });
    }
    const metrics = await selfMetrics(base);
    this.maxRss = Math.max(this.maxRss, sumOf(metrics, 'process_resident_memory_bytes'));
    const cpu = sumOf(metrics, 'process_cpu_seconds_total');
    this.cpu = [this.polls === 0 ? cpu : this.cpu[0], cpu];
    this.polls += 1;
  }
}

/** A rule's name and, for the SLO ratios, its window; an alert with its window pair. */
export function ruleLabel(rule: Pick<ApiRule, 'name' | 'query' | 'type'>): string {
  if (rule.type === 'recording') return rule.name;
  const pair = /ratio_rate(\w+)\b[\s\S]*ratio_rate(\w+)\b/.exec(rule.query);
  return pair ? `${rule.name} ${pair[1]}/${pair[2]}` : rule.name;
}

/** The p-th quantile (0–1) of `values`, nearest rank; NaN for none. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
