/**
 * A test copy of deploy/alertmanager/alertmanager.yml: the same routes, receivers and inhibition
 * rules, with the webhooks pointed at a test receiver and the grouping timers shortened, so an
 * end-to-end test gets its notifications in seconds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

/** The Alertmanager configuration this repository ships. */
export const ALERTMANAGER_CONFIG = fileURLToPath(new URL('../../deploy/alertmanager/alertmanager.yml', import.meta.url));

export interface AlertmanagerOverlayOptions {
  /** Origin of the test receiver, e.g. "http://127.0.0.1:43117"; each webhook keeps its path (/paging, /team). */
  readonly webhookOrigin: string;
  /** group_wait and group_interval of every route; default "1s". */
  readonly groupTimer?: string;
  /** repeat_interval of every route; default "1h" (no repeats within a test). */
  readonly repeatInterval?: string;
  /** Source configuration; the shipped one by default. */
  readonly source?: string;
}

export interface AlertmanagerOverlay {
  readonly dir: string;
  readonly configFile: string;
  remove(): void;
}

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

interface Config {
  route: Route;
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
}

function shortenTimers(route: Route, groupTimer: string, repeatInterval: string): Route {
  return {
    ...route,
    group_wait: groupTimer,
    group_interval: groupTimer,
    repeat_interval: repeatInterval,
    ...(route.routes ? { routes: route.routes.map((child) => shortenTimers(child, groupTimer, repeatInterval)) } : {}),
  };
}

/** The overlaid configuration object for the text of an alertmanager.yml. */
export function overlayAlertmanagerConfig(text: string, options: AlertmanagerOverlayOptions): Config {
  const origin = new URL(options.webhookOrigin).origin;
  const config = parse(text) as Config;
  return {
    ...config,
    route: shortenTimers(config.route, options.groupTimer ?? '1s', options.repeatInterval ?? '1h'),
    receivers: config.receivers.map((receiver) => ({
      ...receiver,
      ...(receiver.webhook_configs
        ? {
            webhook_configs: receiver.webhook_configs.map((hook) => {
              const url = new URL(hook.url);
              return { ...hook, url: `${origin}${url.pathname}${url.search}` };
            }),
          }
        : {}),
    })),
  };
}

/** Writes the overlaid configuration to a new temporary folder. */
export function createAlertmanagerOverlay(options: AlertmanagerOverlayOptions): AlertmanagerOverlay {
  const config = overlayAlertmanagerConfig(readFileSync(options.source ?? ALERTMANAGER_CONFIG, 'utf8'), options);
  const dir = mkdtempSync(join(tmpdir(), 'periscope-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, stringify(config, { lineWidth: 0 }));
  return { dir, configFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
