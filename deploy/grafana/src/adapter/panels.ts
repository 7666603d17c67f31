/**
 * Panel classes for the panel types of current Grafana (timeseries, stat, gauge, heatmap,
 * table, logs, text) — grafana-dash-gen only knows the retired graph and singlestat.
 * A panel knows its content and size; the layout gives it an id and a grid position.
 */
import type { Target } from './targets.ts';
import type { DatasourceRef, FieldDefaults, GridPos, PanelJson, TargetJson, ThresholdStep } from './types.ts';

/** A link shown on a panel's values (e.g. to another dashboard, with `${__field.labels.job}`). */
export interface DataLink {
  readonly title: string;
  readonly url: string;
}

/** What every panel has. `unit` is a Grafana unit id: `reqps`, `s`, `percentunit`, `bytes`… */
export interface PanelOptions {
  readonly title: string;
  /** What question the panel answers, shown on hover of the (i) icon. */
  readonly description: string;
  readonly unit: string;
  readonly targets?: readonly Target[];
  /** Columns of 24 (default 12). */
  readonly width?: number;
  /** Grid units of 30 px (default 8). */
  readonly height?: number;
  readonly thresholds?: readonly ThresholdStep[];
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  readonly links?: readonly DataLink[];
  /** Text shown when the query returns nothing, e.g. "no errors". */
  readonly noValue?: string;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Threshold steps from a base color and `[color, from]` pairs in ascending order. */
export function thresholds(base: string, ...steps: readonly (readonly [string, number])[]): ThresholdStep[] {
  return [{ color: base, value: null }, ...steps.map(([color, value]) => ({ color, value }))];
}

/** The part every panel type shares; subclasses add their type and options. */
export abstract class Panel {
  abstract readonly type: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  protected readonly settings: PanelOptions;

  constructor(settings: PanelOptions) {
    const where = `panel "${settings.title}"`;
    if (settings.title.trim() === '') throw new Error('panel: invalid title "" - expected a title');
    if (settings.description.trim() === '') throw new Error(`${where}: invalid description "" - expected what it answers`);
    if (settings.unit.trim() === '') throw new Error(`${where}: invalid unit "" - expected a Grafana unit id`);
    const width = settings.width ?? 12;
    const height = settings.height ?? 8;
    if (!Number.isInteger(width) || width < 1 || width > 24) throw new Error(`${where}: invalid width ${width} - expected 1 to 24`);
    if (!Number.isInteger(height) || height < 1) throw new Error(`${where}: invalid height ${height} - expected a positive integer`);
    const targets = settings.targets ?? [];
    if (targets.length > REF_IDS.length) throw new Error(`${where}: ${targets.length} targets - expected at most ${REF_IDS.length}`);
    const types = new Set(targets.map((t) => t.datasource.type));
    if (types.size > 1) throw new Error(`${where}: targets of ${[...types].join(' and ')} - expected one datasource per panel`);
    this.title = settings.title;
    this.width = width;
    this.height = height;
    this.settings = settings;
  }

  /** The datasource of the panel's targets, if it has any. */
  get datasource(): DatasourceRef | undefined {
    return this.settings.targets?.[0]?.datasource;
  }

  /** Options of the panel plugin (`options` in the JSON). */
  protected abstract options(): Record<string, unknown>;

  /** Plugin-specific field settings (`fieldConfig.defaults.custom`); none by default. */
  protected custom(): Record<string, unknown> | undefined {
    return undefined;
  }

  /** Extra field defaults of a panel type (e.g. a color scheme). */
  protected fieldDefaults(): Record<string, unknown> {
    return {};
  }

  /** Extra top-level keys of a panel type (e.g. transformations). */
  protected extra(): Record<string, unknown> {
    return {};
  }

  /** The panel's JSON at its place on the grid. */
  toJson(id: number, gridPos: GridPos): PanelJson {
    const { title, description, unit, min, max, decimals, links, noValue } = this.settings;
    const targets: TargetJson[] = (this.settings.targets ?? []).map((t, i) => t.toJson(REF_IDS[i]!));
    const defaults: FieldDefaults = {
      unit,
      color: { mode: 'palette-classic' },
      thresholds: { mode: 'absolute', steps: this.settings.thresholds ?? thresholds('green') },
      mappings: [],
      ...this.fieldDefaults(),
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
      ...(decimals === undefined ? {} : { decimals }),
      ...(noValue === undefined ? {} : { noValue }),
      ...(links === undefined ? {} : { links: links.map((l) => ({ title: l.title, url: l.url })) }),
    };
    const custom = this.custom();
    if (custom) defaults.custom = custom;
    return {
      id,
      type: this.type,
      title,
      description,
      gridPos: { ...gridPos },
      ...(this.datasource ? { datasource: this.datasource } : {}),
      ...(targets.length > 0 ? { targets } : {}),
      fieldConfig: { defaults, overrides: [] },
      options: this.options(),
      ...this.extra(),
    };
  }
}

const LEGEND_TABLE = { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max', 'lastNotNull'] };

export interface TimeseriesOptions extends PanelOptions {
  /** Stack the series (e.g. requests by status code). */
  readonly stack?: boolean;
  /** Draw bars instead of lines (e.g. counts per interval). */
  readonly bars?: boolean;
  /** Draw the thresholds as dashed lines (e.g. where an alert fires). Default: not drawn. */
  readonly thresholdLines?: boolean;
}

/** A graph over time: the panel for rates, ratios, durations and gauges. */
export class TimeseriesPanel extends Panel {
  readonly type = 'timeseries';

  constructor(settings: TimeseriesOptions) {
    super(settings);
  }

  protected override options(): Record<string, unknown> {
    return { legend: LEGEND_TABLE, tooltip: { mode: 'multi', sort: 'desc' } };
  }

  protected override custom(): Record<string, unknown> {
    const { stack = false, bars = false, thresholdLines = false } = this.settings as TimeseriesOptions;
    return {
      ...(thresholdLines ? { thresholdsStyle: { mode: 'dashed' } } : {}),
      drawStyle: bars ? 'bars' : 'line',
      lineWidth: 1,
      fillOpacity: stack || bars ? 60 : 10,
      gradientMode: 'none',
      showPoints: 'never',
      spanNulls: false,
      axisSoftMin: 0,
      stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
    };
  }
}

/** Reduce every series to its last value: what stat and gauge panels show. */
const LAST_VALUE = Object.freeze({ calcs: ['lastNotNull'], fields: '', values: false });

/** A panel showing one value per series, colored by its thresholds. */
abstract class SingleValuePanel extends Panel {
  protected override fieldDefaults(): Record<string, unknown> {
    return { color: { mode: 'thresholds' } };
  }
}

/** One big number with a sparkline: the current value of a rate, ratio or count. */
export class StatPanel extends SingleValuePanel {
  readonly type = 'stat';

  protected override options(): Record<string, unknown> {
    return {
      reduceOptions: LAST_VALUE,
      colorMode: 'value',
      graphMode: 'area',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'auto',
      showPercentChange: false,
      wideLayout: true,
    };
  }
}

/** A dial for a value with known bounds (set `min` and `max`): utilizations, budgets. */
export class GaugePanel extends SingleValuePanel {
  readonly type = 'gauge';

  protected override options(): Record<string, unknown> {
    return {
      reduceOptions: LAST_VALUE,
      orientation: 'auto',
      showThresholdLabels: false,
      showThresholdMarkers: true,
      minVizHeight: 75,
      minVizWidth: 75,
    };
  }
}

/** Histogram buckets over time (targets with format `heatmap`, legend `{{le}}`), with exemplars. */
export class HeatmapPanel extends Panel {
  readonly type = 'heatmap';

  protected override options(): Record<string, unknown> {
    return {
      calculate: false,
      cellGap: 1,
      color: { mode: 'scheme', scheme: 'Oranges', fill: 'dark-orange', scale: 'exponential', exponent: 0.5, steps: 64, reverse: false },
      exemplars: { color: 'rgba(255,0,255,0.7)' },
      filterValues: { le: 1e-9 },
      legend: { show: true },
      rowsFrame: { layout: 'auto' },
      tooltip: { mode: 'single', yHistogram: true, showColorScale: false },
      yAxis: { axisPlacement: 'left', reverse: false, unit: this.settings.unit },
    };
  }

  protected override custom(): Record<string, unknown> {
    return { hideFrom: { legend: false, tooltip: false, viz: false }, scaleDistribution: { type: 'linear' } };
  }
}

export interface TableOptions extends PanelOptions {
  /** Columns to hide (e.g. `Time`, `__name__`). */
  readonly hideColumns?: readonly string[];
  /** Column headers to show instead of field names (e.g. `{ 'Value #A': 'Objective' }`). */
  readonly renameColumns?: Readonly<Record<string, string>>;
  /** Columns to show first, in this order (by field name); the others follow. */
  readonly columnOrder?: readonly string[];
}

/** Rows of instant values (targets with `instant` and format `table`), merged on their labels. */
export class TablePanel extends Panel {
  readonly type = 'table';

  constructor(settings: TableOptions) {
    super(settings);
  }

  protected override options(): Record<string, unknown> {
    return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], countRows: false, fields: '' } };
  }

  protected override custom(): Record<string, unknown> {
    return { align: 'auto', cellOptions: { type: 'auto' }, inspect: false };
  }

  protected override extra(): Record<string, unknown> {
    const { hideColumns = ['Time'], renameColumns = {}, columnOrder = [] } = this.settings as TableOptions;
    const excludeByName = Object.fromEntries(hideColumns.map((name) => [name, true]));
    const indexByName = Object.fromEntries(columnOrder.map((name, i) => [name, i]));
    return {
      transformations: [
        { id: 'merge', options: {} },
        { id: 'organize', options: { excludeByName, indexByName, renameByName: { ...renameColumns } } },
      ],
    };
  }
}

/** Log lines of a LogQL query, newest first, with their parsed fields on expand. */
export class LogsPanel extends Panel {
  readonly type = 'logs';

  protected override options(): Record<string, unknown> {
    return {
      dedupStrategy: 'none',
      enableLogDetails: true,
      prettifyLogMessage: false,
      showCommonLabels: false,
      showLabels: false,
      showTime: true,
      sortOrder: 'Descending',
      wrapLogMessage: true,
    };
  }
}

export interface TextOptions extends Omit<PanelOptions, 'targets'> {
  /** Markdown shown in the panel. */
  readonly content: string;
}

/** Markdown: how to read a dashboard, links to runbooks. */
export class TextPanel extends Panel {
  readonly type = 'text';

  constructor(settings: TextOptions) {
    super(settings);
  }

  protected override options(): Record<string, unknown> {
    return { mode: 'markdown', content: (this.settings as TextOptions).content, code: { language: 'plaintext', showLineNumbers: false, showMiniMap: false } };
  }
}
