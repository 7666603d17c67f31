/**
 * The version a demo service reports in its logs and `periscope_build_info`: `PERISCOPE_VERSION`
 * when the environment sets it (a deploy naming its build), else the `version` of the service's
 * own package.json. The package's fallback reads the package of the working directory or of the
 * npm script that started it, which for the demo is the repository's root: no version there.
 */
import { readFileSync } from 'node:fs';
import { ENV } from '@periscope/instrument/contract';
import type { ServiceName } from './topology.ts';

/** The package.json of each service, next to its src/. */
const packageJson = (name: ServiceName): URL => new URL(`../../${name}/package.json`, import.meta.url);

/** The version `name` runs as; throws `Error` when its package.json has none. */
export function serviceVersion(name: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[ENV.version]?.trim();
  if (fromEnv) return fromEnv;
  const { version } = JSON.parse(readFileSync(packageJson(name), 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') throw new Error(`demo-services/${name}/package.json has no version`);
  return version;
}
