/** Test helpers: the generated dashboards, built once per test file. Real servers come from tools/testing/. */
import { buildAll } from '../src/dashboards/index.ts';
import type { DashboardJson } from '../src/adapter/types.ts';

/** Every generated dashboard, built once per test file. */
export const dashboards: readonly DashboardJson[] = [...buildAll().values()];
