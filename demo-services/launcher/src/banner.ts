/** What `npm run demo` prints once the stack is up: the URL table and three things to try. */
import type { ServiceName } from '../../shared/src/topology.ts';
import { COMPONENTS, COMPONENT_NAMES } from './components.ts';
import { displayPath } from './paths.ts';
import type { Stack } from './stack.ts';

/** The lines of the banner for a running stack. */
export function banner(stack: Pick<Stack, 'urls' | 'skipped' | 'logFile' | 'spansFile'>): string[] {
  const rows = COMPONENT_NAMES.filter((name) => stack.urls[name]).map((name) => {
    const { label, env } = COMPONENTS[name];
    return `  ${label.padEnd(15)} ${stack.urls[name]!.padEnd(24)} ${env}`;
  });
  const frontend = stack.urls.frontend!;
  const logs = displayPath(stack.logFile('users')).replace('users.log', '<service>.log');
  const spans = displayPath(stack.spansFile('users' satisfies ServiceName)).replace('users.jsonl', '<service>.jsonl');
  const lines = [
    '',
    'Periscope demo is up. Ctrl-C stops everything.',
    '',
    `  ${'component'.padEnd(15)} ${'URL'.padEnd(24)} change the port with`,
    ...rows,
    '',
    `  logs  ${logs}    spans  ${spans}`,
  ];
  if (stack.skipped.length > 0) lines.push(`  not running: ${stack.skipped.map((name) => COMPONENTS[name].label).join(', ')}`);
  lines.push('', 'Three things to try:', '', '  1. Break a service:    npm run fault -- users --error-rate 0.5      (undo: npm run fault -- users --clear)');
  lines.push('                         also --latency 300ms, --block 50ms, or thoughts --slow-pool 500ms');
  if (stack.urls.alertmanager) {
    lines.push(
      `  2. Watch the alert:    pending at ${stack.urls.prometheus}/alerts within a minute; once its "for:" has passed`,
      `                         (about 3 minutes for the fastest burn-rate alert), Alertmanager (${stack.urls.alertmanager})`,
      '                         delivers it and a line "[alert] … FIRING …" prints here; "RESOLVED" after --clear.',
    );
  } else if (stack.urls.prometheus) {
    lines.push(`  2. Watch the alert:    ${stack.urls.prometheus}/alerts (Alertmanager is not running, so nothing prints here).`);
  } else {
    lines.push('  2. Watch the alert:    needs Prometheus and Alertmanager (see above for how to install them).');
  }
  lines.push(
    `  3. Trace a request:    curl -si ${frontend}/api/search?q=loom | grep -i x-request-id`,
    '                         npx periscope trace <request-id>',
    '',
  );
  return lines;
}
