/**
 * USE tracking for application resources (a pool, a queue, a worker set): capacity, units in
 * use, callers waiting, and errors, exported as the contract's `periscope_resource_*` series.
 */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { optionTypeError, optionValueError } from '../core/errors.js';
import { LABEL, METRIC } from '../core/names.js';
import type { ResourceTracker } from '../types.js';

function checkCapacity(option: string, capacity: unknown): number {
  if (typeof capacity !== 'number') throw optionTypeError(option, capacity, 'a positive integer');
  if (!Number.isInteger(capacity) || capacity < 1) throw optionValueError(option, capacity, 'a positive integer');
  return capacity;
}

class Tracker implements ResourceTracker {
  private used = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly name: string,
    private cap: number,
    private readonly onError: () => void,
  ) {}

  get capacity(): number {
    return this.cap;
  }
  get inUse(): number {
    return this.used;
  }
  get waiting(): number {
    return this.queue.length;
  }

  acquire(): Promise<() => void> {
    if (this.used < this.cap) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.queue.push(() => resolve(this.releaser())));
  }

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } catch (err) {
      this.onError();
      throw err;
    } finally {
      release();
    }
  }

  error(): void {
    this.onError();
  }

  setCapacity(capacity: number): void {
    this.cap = checkCapacity('capacity', capacity);
    this.admit();
  }

  /** A release function that gives the unit back once, however often it is called. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
      this.admit();
    };
  }

  private admit(): void {
    while (this.used < this.cap && this.queue.length > 0) {
      this.used++;
      this.queue.shift()!();
    }
  }
}

/** The set of resources of one instrumented app, and their metrics. */
export interface ResourceRegistry {
  resource(name: string, options: { capacity: number }): ResourceTracker;
}

/** Creates the `periscope_resource_*` metrics on `registry` and returns the tracker factory. */
export function createResourceRegistry(registry: Registry): ResourceRegistry {
  const trackers = new Map<string, Tracker>();
  const labelNames = [LABEL.resource];
  const gauge = (name: string, help: string, read: (t: Tracker) => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        for (const t of trackers.values()) this.set({ [LABEL.resource]: t.name }, read(t));
      },
    });
  gauge(METRIC.resourceCapacity, 'Units an application resource holds.', (t) => t.capacity);
  gauge(METRIC.resourceInUse, 'Units of an application resource in use.', (t) => t.inUse);
  gauge(METRIC.resourceWaiting, 'Callers waiting for a unit of an application resource.', (t) => t.waiting);
  const errors = new Counter({ name: METRIC.resourceErrors, help: 'Errors of an application resource.', labelNames, registers: [registry] });

  return {
    resource(name, options) {
      if (typeof name !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(name)) {
        throw optionValueError('resource name', name, '1-64 characters of letters, digits and . _ : -');
      }
      if (typeof options !== 'object' || options === null) throw optionTypeError('resource options', options, 'an object with "capacity"');
      const capacity = checkCapacity('capacity', options.capacity);
      const existing = trackers.get(name);
      if (existing) {
        existing.setCapacity(capacity);
        return existing;
      }
      errors.inc({ [LABEL.resource]: name }, 0);
      const tracker = new Tracker(name, capacity, () => errors.inc({ [LABEL.resource]: name }));
      trackers.set(name, tracker);
      return tracker;
    },
  };
}
