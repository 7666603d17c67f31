/** Test helpers: the generated dashboards, built once per test file, and a service outside the demo. */
import { buildAll } from '../src/dashboards/index.ts';
import type { DashboardJson } from '../src/adapter/types.ts';

/** Every generated dashboard, built once per test file. */
export const dashboards: readonly DashboardJson[] = [...buildAll().values()];

export { startOutsideService } from '../../../tools/testing/outside-service.ts';
export type { OutsideService } from '../../../tools/testing/outside-service.ts';
