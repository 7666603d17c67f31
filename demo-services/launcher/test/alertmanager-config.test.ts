import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_ALERTMANAGER_CONFIG, deriveAlertmanagerConfig } from '../src/alertmanager-config.ts';

const SHIPPED = parse(readFileSync(new URL('../../../deploy/alertmanager/alertmanager.yml', import.meta.url), 'utf8')) as Record<string, unknown>;

type Route = { receiver: string; group_by?: string[]; routes?: Route[] };
const grouping = (config: Record<string, unknown>) => {
  const route = config.route as Route;
  return [route.group_by, ...(route.routes ?? []).map((child) => [child.receiver, child.group_by])];
};

describe('the built-in Alertmanager config (when deploy/alertmanager/alertmanager.yml is absent)', () => {
  it('groups and inhibits as the shipped one does', () => {
    const builtIn = deriveAlertmanagerConfig({ receiverUrl: 'http://127.0.0.1:9099' });
    expect(grouping(builtIn)).toEqual(grouping(SHIPPED));
    expect(builtIn.inhibit_rules).toEqual(SHIPPED.inhibit_rules);
    expect(BUILT_IN_ALERTMANAGER_CONFIG).toContain('http://127.0.0.1:9099/paging');
  });
});
