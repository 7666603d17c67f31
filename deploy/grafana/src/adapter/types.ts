/**
 * Shapes of the modern dashboard JSON this adapter writes (schemaVersion 39 and later):
 * `panels[]` placed on a 24-column grid, row panels, datasource references by uid.
 * Only the fields the generator sets are typed; Grafana fills the rest with its defaults.
 */

/** A datasource reference: a plugin type and a uid (or a `${variable}` holding one). */
export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}

/** A panel's place on the dashboard grid: 24 columns wide, heights in grid units (30 px). */
export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One query of a panel. Prometheus targets carry `expr` and `legendFormat`; Loki targets `expr`. */
export interface TargetJson {
  refId: string;
  datasource: DatasourceRef;
  expr: string;
  [key: string]: unknown;
}

/** One threshold step; the first step's value is null (it starts at minus infinity). */
export interface ThresholdStep {
  color: string;
  value: number | null;
}

export interface FieldDefaults {
  unit: string;
  [key: string]: unknown;
}

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: DatasourceRef;
  targets?: TargetJson[];
  fieldConfig?: { defaults: FieldDefaults; overrides: unknown[] };
  options?: Record<string, unknown>;
  /** Row panels only: whether the row starts folded, and the panels it then holds. */
  collapsed?: boolean;
  panels?: PanelJson[];
  repeat?: string;
  [key: string]: unknown;
}

export interface VariableJson {
  name: string;
  type: string;
  [key: string]: unknown;
}

export interface AnnotationJson {
  name: string;
  datasource: DatasourceRef;
  enable: boolean;
  [key: string]: unknown;
}

export interface DashboardJson {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: PanelJson[];
  templating: { list: VariableJson[] };
  annotations: { list: AnnotationJson[] };
  [key: string]: unknown;
}
