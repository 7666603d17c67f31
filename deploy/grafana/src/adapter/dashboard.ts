/**
 * A dashboard: grafana-dash-gen's `Dashboard` holds what it does well (title, tags, time,
 * refresh, templating, annotations, links); `toJson()` is the output step that turns its
 * legacy state (schemaVersion 6, `rows`, Graphite defaults) into current dashboard JSON:
 * a uid, `panels[]` on the grid, modern variables and annotations, schemaVersion 41.
 */
import dashgen from 'grafana-dash-gen';
import { builtInAnnotation, modernizeAnnotation } from './annotations.ts';
import { layout } from './layout.ts';
import type { Section } from './layout.ts';
import type { DashboardJson } from './types.ts';
import { datasourceVariables, modernizeVariable } from './variables.ts';
import type { Template } from './variables.ts';

/**
 * The schema version written. 41 is what Grafana 12 stores; Grafana 11 (39–40) has no migration
 * to run on it, so every version from 11 on loads the file as it is.
 */
export const SCHEMA_VERSION = 41;

/** Grafana stores uids of at most 40 characters. */
export const MAX_UID_LENGTH = 40;

const UID = /^[a-zA-Z0-9_-]+$/;

export interface DashboardOptions {
  readonly uid: string;
  readonly title: string;
  /** What the dashboard is for; Grafana shows it in search and the dashboard settings. */
  readonly description: string;
  readonly tags: readonly string[];
  /** Default time range start, e.g. `now-1h`. */
  readonly from?: string;
  /** Auto-refresh interval, e.g. `30s`. */
  readonly refresh?: string;
}

/** A link in the dashboard's header to another dashboard, keeping time range and variables. */
export interface DashboardLink {
  readonly title: string;
  readonly uid: string;
  readonly tooltip: string;
}

/** Builds one dashboard: variables, annotations, links, then sections of panels. */
export class DashboardBuilder {
  readonly uid: string;
  private readonly base: InstanceType<typeof dashgen.Dashboard>;
  private readonly description: string;
  private readonly sections: Section[] = [];

  constructor(options: DashboardOptions) {
    const { uid, title, description, tags, from = 'now-1h', refresh = '30s' } = options;
    if (!UID.test(uid) || uid.length > MAX_UID_LENGTH) {
      throw new Error(`dashboard "${title}": invalid uid "${uid}" - expected 1 to ${MAX_UID_LENGTH} of [a-zA-Z0-9_-]`);
    }
    this.uid = uid;
    this.description = description;
    this.base = new dashgen.Dashboard({ title, tags: [...tags], refresh, time: { from, to: 'now' }, sharedCrosshair: true, timezone: 'browser' });
    for (const variable of datasourceVariables()) this.variable(variable);
  }

  /** Adds a variable (after the two datasource pickers, in call order). */
  variable(template: Template): this {
    this.base.addTemplate(template as never);
    return this;
  }

  /** Adds an annotation built with `prometheusAnnotation`. */
  annotation(template: Template): this {
    this.base.addAnnotation(template as never);
    return this;
  }

  /** Adds a header link to another dashboard. */
  link(link: DashboardLink): this {
    this.base.links.push(new dashgen.ExternalLink({ title: link.title, url: `/d/${link.uid}`, tooltip: link.tooltip }).includeVariableValues().includeTimeFilter());
    return this;
  }

  /** Adds a section: an optional row and its panels. */
  section(section: Section): this {
    this.sections.push(section);
    return this;
  }

  /** The output step: current dashboard JSON (no Graphite, no `rows`). */
  toJson(): DashboardJson {
    const legacy = this.base.generate() as unknown as Record<string, unknown>;
    if ((legacy.rows as unknown[]).length > 0) throw new Error(`dashboard "${this.uid}": legacy rows - expected panels added with section()`);
    const templating = (legacy.templating as { list: Record<string, unknown>[] }).list;
    const annotations = (legacy.annotations as { list: Record<string, unknown>[] }).list;
    const links = (legacy.links as Record<string, unknown>[]).map((link) => ({ ...link, targetBlank: false, asDropdown: false }));
    return {
      uid: this.uid,
      title: String(legacy.title),
      description: this.description,
      tags: legacy.tags,
      timezone: legacy.timezone,
      editable: true,
      graphTooltip: legacy.sharedCrosshair ? 1 : 0,
      refresh: legacy.refresh,
      time: legacy.time,
      timepicker: {},
      fiscalYearStartMonth: 0,
      liveNow: false,
      weekStart: '',
      id: null,
      version: 1,
      schemaVersion: SCHEMA_VERSION,
      links,
      annotations: { list: [builtInAnnotation(), ...annotations.map(modernizeAnnotation)] },
      templating: { list: templating.map(modernizeVariable) },
      panels: layout(this.sections),
    };
  }
}
