/**
 * The datasources the dashboards query, in one place. Provisioning gives each a fixed uid
 * (provisioning/datasources/periscope.yml); panels reach Prometheus and Loki through dashboard
 * variables holding those uids, so a user can point a dashboard at another instance.
 */
import type { DatasourceRef } from './types.ts';

/** Plugin type and fixed uid of each provisioned datasource. */
export const DATASOURCE = Object.freeze({
  prometheus: Object.freeze({ type: 'prometheus', uid: 'prometheus' }),
  loki: Object.freeze({ type: 'loki', uid: 'loki' }),
  tempo: Object.freeze({ type: 'tempo', uid: 'tempo' }),
} as const);

/** Names of the dashboard variables that select the Prometheus and Loki datasources. */
export const DATASOURCE_VARIABLE = Object.freeze({ prometheus: 'datasource', loki: 'loki' } as const);

/** What a Prometheus panel or target points at: the `${datasource}` variable. */
export const PROMETHEUS: DatasourceRef = Object.freeze({
  type: DATASOURCE.prometheus.type,
  uid: `\${${DATASOURCE_VARIABLE.prometheus}}`,
});

/** What a Loki panel or target points at: the `${loki}` variable. */
export const LOKI: DatasourceRef = Object.freeze({ type: DATASOURCE.loki.type, uid: `\${${DATASOURCE_VARIABLE.loki}}` });

/** Grafana's built-in datasource (annotations and alerts of the dashboard itself). */
export const GRAFANA: DatasourceRef = Object.freeze({ type: 'grafana', uid: '-- Grafana --' });
