/**
 * What `npm run demo` prints once the stack is up: where each component listens, the pages that
 * answer on this machine (found by web-uis.ts), what to use where there is no page, and three
 * things to try. Every URL it prints answers 2xx (a short link through the alert receiver's 302
 * included) and every command runs as printed (a test checks both against a running stack).
 * Building the banner registers the short graph links on the stack's receiver.
 */
import path from 'node:path';
import { COMPONENTS, COMPONENT_NAMES } from './components.ts';
import { DEFAULT_STATE_DIR, REPO_ROOT, displayPath } from './paths.ts';
import { RED_PANELS, graphUrl } from './red-queries.ts';
import type { RedPanel } from './red-queries.ts';
import type { Stack } from './stack.ts';
import type { WebUis } from './web-uis.ts';

/** What the banner reads off the stack. */
export type BannerStack = Pick<Stack, 'urls' | 'skipped' | 'stateDir'> & Partial<Pick<Stack, 'receiver'>>;

/**
 * The link the banner prints for a RED panel's graph: `<receiver>/graph/<slug>`, which redirects
 * to the Prometheus graph, or the Prometheus URL itself (300–480 characters) without a receiver.
 */
export function panelLink(stack: BannerStack, graphPath: string, panel: RedPanel): string {
  const long = graphUrl(stack.urls.prometheus!, graphPath, panel.expr);
  return stack.receiver ? stack.receiver.shortLink(`/graph/${panel.slug}`, long) : long;
}

/** Shell-quotes a URL (single quotes: `?` and `&` stay literal). */
const quote = (url: string): string => `'${url.replace(/'/g, `'\\''`)}'`;

/** The lines of the banner for a running stack; `maxDiskMb` is the disk budget it runs under. */
export function banner(stack: BannerStack, uis: WebUis, maxDiskMb: number): string[] {
  const { urls } = stack;
  const host = (url: string) => url.replace(/^http:\/\//, '');
  const rows = COMPONENT_NAMES.filter((name) => urls[name]).map((name) => {
    const { label, env } = COMPONENTS[name];
    return `  ${label.padEnd(15)} ${host(urls[name]!).padEnd(16)} ${env}`;
  });
  const ownDir = path.resolve(stack.stateDir) !== path.resolve(DEFAULT_STATE_DIR);
  const dir = displayPath(stack.stateDir);
  const stateFlag = ownDir ? ` --state-dir ${dir}` : '';
  const readPaths = ownDir || process.cwd() !== path.resolve(REPO_ROOT) ? ` ${path.join(dir, 'spans')} ${path.join(dir, 'logs')}` : '';
  const fault = (args: string) => `npm run fault -- ${args}${stateFlag}`;

  const lines = [
    '',
    'Periscope demo is up. Ctrl-C stops everything.',
    '',
    `  ${'component'.padEnd(15)} ${'listens on'.padEnd(16)} change the port with`,
    ...rows,
    '',
    `  logs, spans, Prometheus data: ${dir}/ (kept under ${maxDiskMb} MiB in all; --max-disk to change)`,
  ];
  if (stack.skipped.length > 0) lines.push(`  not running: ${stack.skipped.map((name) => COMPONENTS[name].label).join(', ')}`);

  lines.push('', `Open:  the app        ${urls.frontend}/`);
  if (urls.prometheus && uis.prometheusGraph) {
    lines.push('       No Grafana here: its dashboards need a container engine (docs/getting-started.md).');
    lines.push('       The same RED panels, one series per service, as Prometheus graphs:');
    for (const panel of RED_PANELS) lines.push(`       ${panel.name.padEnd(14)}${panelLink(stack, uis.prometheusGraph, panel)}`);
  } else {
    lines.push('       No Grafana here: its dashboards need a container engine (docs/getting-started.md),');
    lines.push('       and Prometheus is not running: the services\' /metrics and the periscope commands below remain.');
  }
  if (urls.prometheus && uis.prometheusAlerts) lines.push(`       alert rules   ${urls.prometheus}${uis.prometheusAlerts}`);
  if (stack.receiver) {
    lines.push(`       notifications ${stack.receiver.url}/   (what Alertmanager delivered, with runbook links)`);
    lines.push(`       runbooks      ${stack.receiver.url}/runbooks/`);
  }
  if (urls.alertmanager) {
    if (uis.alertmanagerUi) lines.push(`       Alertmanager  ${uis.alertmanagerUi}`);
    else {
      lines.push("       Alertmanager has no web UI here (Debian's package ships none); ask its API instead:");
      lines.push(`         amtool --alertmanager.url=${urls.alertmanager} alert query`);
      lines.push(`         curl -s ${quote(`${urls.alertmanager}/api/v2/alerts`)}`);
    }
  }

  lines.push('', 'Three things to try:', '');
  lines.push(`  1. Break a service:    ${fault('users --error-rate 0.5')}    (undo: ${fault('users --clear')})`);
  lines.push('                         also --latency 800ms, --block 200ms (all of them: npm run fault -- --help)');
  if (urls.alertmanager) {
    lines.push(
      '  2. Watch the alert:    pending on the alert rules page above within a minute; once its "for:" has passed,',
      '                         Alertmanager delivers it and a line "[alert] … FIRING …" prints here (and on the',
      '                         notifications page, with its runbook); "RESOLVED" after --clear.',
    );
  } else if (urls.prometheus && uis.prometheusAlerts) {
    lines.push(`  2. Watch the alert:    ${urls.prometheus}${uis.prometheusAlerts} (Alertmanager is not running, so nothing prints here).`);
  } else {
    lines.push('  2. Watch the alert:    needs Prometheus and Alertmanager (see above for how to install them).');
  }
  lines.push(
    `  3. Trace a request:    curl -si ${quote(`${urls.frontend}/api/search?q=loom`)} | grep -i x-request-id`,
    `                         npx periscope trace <request-id>${readPaths}`,
    `                         npx periscope logs <request-id>${readPaths}`,
    '',
  );
  return lines;
}
