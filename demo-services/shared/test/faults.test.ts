import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { portOf, startAdminServer } from '../src/admin.ts';
import { createFaults, describeFaults, parseFaultChange } from '../src/faults.ts';

describe('fault changes', () => {
  it('accepts each fault and a latency given as text', () => {
    expect(parseFaultChange({ errorRate: 0.5, latency: '200ms', blockMs: 50, slowPoolMs: 500 })).toEqual({
      errorRate: 0.5,
      latency: { kind: 'fixed', ms: 200 },
      blockMs: 50,
      slowPoolMs: 500,
    });
  });

  it('names the field and the value it refuses', () => {
    expect(() => parseFaultChange({ errorRate: 2 })).toThrow('errorRate must be a number from 0 to 1, got 2');
    expect(() => parseFaultChange({ blockMs: '50' })).toThrow('blockMs must be a number of milliseconds from 0 to 60000, got "50"');
    expect(() => parseFaultChange({ errorrate: 1 })).toThrow('unknown fault "errorrate"');
    expect(() => parseFaultChange([1])).toThrow('expected a JSON object');
  });

  it('summarises the faults in force in one line', () => {
    const faults = createFaults();
    expect(describeFaults(faults.get())).toBe('no faults');
    faults.set({ errorRate: 0.25, slowPoolMs: 300 });
    expect(describeFaults(faults.get())).toBe('error rate 0.25, slow pool +300ms per task');
    expect(describeFaults(faults.clear())).toBe('no faults');
  });
});

describe('the admin listener', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('binds to 127.0.0.1 and reads, changes and clears the faults', async () => {
    const faults = createFaults();
    const changes: string[] = [];
    server = await startAdminServer({ port: 0, faults, onChange: (_state, summary) => changes.push(summary) });
    expect((server.address() as { address: string }).address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${portOf(server)}/faults`;
    const put = await fetch(base, { method: 'PUT', body: JSON.stringify({ errorRate: 0.5 }) });
    expect(await put.json()).toMatchObject({ faults: { errorRate: 0.5 }, summary: 'error rate 0.5' });
    expect(faults.get().errorRate).toBe(0.5);
    await fetch(base, { method: 'DELETE' });
    expect(faults.get().errorRate).toBe(0);
    expect(changes).toEqual(['error rate 0.5', 'no faults']);
  });

  it('answers 400 with the reason when a change is refused', async () => {
    server = await startAdminServer({ port: 0, faults: createFaults() });
    const response = await fetch(`http://127.0.0.1:${portOf(server)}/faults`, { method: 'PUT', body: '{"errorRate": -1}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'errorRate must be a number from 0 to 1, got -1' });
  });
});
