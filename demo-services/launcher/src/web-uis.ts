/**
 * What the running Prometheus and Alertmanager serve, found by asking them: Debian's Prometheus
 * 2.42 serves its classic UI under `/classic/` (`/classic/graph`, `/classic/alerts`) and `/alerts`
 * is a 404; upstream builds serve `/graph` and `/alerts`. Debian's Alertmanager ships no web UI
 * (its `/` is a page saying so, and `/script.js`, the UI's code, is a 404); its API works.
 */
import { answersOk } from './wait.ts';

/** The pages the banner may link to. */
export interface WebUis {
  /** Prometheus' graph page path (`/classic/graph` or `/graph`), or `undefined` when none answers. */
  prometheusGraph?: string;
  /** Prometheus' alerts page path, or `undefined`. */
  prometheusAlerts?: string;
  /** Alertmanager's web UI (its alerts view), or `undefined` when it has none. */
  alertmanagerUi?: string;
}

/** Asks the running components which pages they serve. */
export async function probeWebUis(urls: { prometheus?: string; alertmanager?: string }): Promise<WebUis> {
  const ok = (url: string) => answersOk(url).catch(() => false);
  const first = async (base: string, paths: string[]) => {
    for (const p of paths) if (await ok(base + p)) return p;
    return undefined;
  };
  const uis: WebUis = {};
  if (urls.prometheus) {
    uis.prometheusGraph = await first(urls.prometheus, ['/classic/graph', '/graph']);
    uis.prometheusAlerts = await first(urls.prometheus, ['/classic/alerts', '/alerts']);
  }
  if (urls.alertmanager && (await ok(`${urls.alertmanager}/script.js`))) uis.alertmanagerUi = `${urls.alertmanager}/#/alerts`;
  return uis;
}
