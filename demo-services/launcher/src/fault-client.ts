/** Talks to a service's admin API (127.0.0.1 only): read, change and clear its faults. */
import { FAULTS_PATH } from '../../shared/src/admin.ts';
import type { FaultState } from '../../shared/src/faults.ts';

/** The admin API's answer. */
export interface FaultAnswer {
  faults: FaultState;
  summary: string;
}

async function call(adminUrl: string, method: string, body?: unknown): Promise<FaultAnswer> {
  let response: Response;
  try {
    response = await fetch(adminUrl + FAULTS_PATH, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw new Error(`cannot reach the admin API at ${adminUrl} (${(err as Error).message}); is the demo running?`);
  }
  const answer = (await response.json()) as FaultAnswer & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `admin API answered ${response.status}`);
  return answer;
}

/** The faults in force. */
export const getFaults = (adminUrl: string): Promise<FaultAnswer> => call(adminUrl, 'GET');
/** Applies a change (e.g. `{ errorRate: 0.5 }`); the other faults stay as they are. */
export const setFaults = (adminUrl: string, change: Partial<Record<keyof FaultState, unknown>>): Promise<FaultAnswer> => call(adminUrl, 'PUT', change);
/** Switches every fault off. */
export const clearFaults = (adminUrl: string): Promise<FaultAnswer> => call(adminUrl, 'DELETE');
