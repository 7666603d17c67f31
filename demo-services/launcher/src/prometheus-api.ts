/** The few Prometheus HTTP API calls the launcher and its tests make. */

/** One active target, as `/api/v1/targets` reports it. */
export interface PromTarget {
  job: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** One instant-vector sample. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

async function api<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
  return body.data;
}

/** The active scrape targets. */
export async function activeTargets(base: string): Promise<PromTarget[]> {
  const data = await api<{ activeTargets: Array<{ labels: Record<string, string>; scrapeUrl: string; health: PromTarget['health']; lastError: string }> }>(
    base,
    '/api/v1/targets?state=active',
  );
  return data.activeTargets.map((t) => ({ job: t.labels.job ?? '', scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError }));
}

/** Runs an instant query and returns its vector. */
export async function instantQuery(base: string, expr: string): Promise<PromSample[]> {
  const data = await api<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
    base,
    `/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  if (data.resultType !== 'vector') throw new Error(`expected a vector from ${expr}, got ${data.resultType}`);
  return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
