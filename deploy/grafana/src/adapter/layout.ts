/**
 * Places panels on Grafana's 24-column grid. A dashboard is a list of sections; a section
 * with a title starts with a row panel. Panels flow left to right and wrap when the next one
 * does not fit; a line is as tall as its tallest panel. Ids follow document order, so the
 * same source always yields the same JSON.
 */
import type { Panel } from './panels.ts';
import type { PanelJson } from './types.ts';

/** Columns of the dashboard grid. */
export const GRID_COLUMNS = 24;

export interface Section {
  /** Row title; a section without one holds panels above the first row. */
  readonly title?: string;
  readonly panels: readonly Panel[];
  /** Start folded (the row then holds its panels). */
  readonly collapsed?: boolean;
  /** Repeat the row for each value of this variable (e.g. one row per service). */
  readonly repeat?: string;
}

/** Places every section's panels and returns the dashboard's `panels[]`. */
export function layout(sections: readonly Section[]): PanelJson[] {
  const out: PanelJson[] = [];
  let nextId = 1;
  let y = 0;
  sections.forEach((section, index) => {
    if (section.title === undefined && index > 0) {
      throw new Error(`section ${index}: missing title - expected only the first section to have none`);
    }
    let row: PanelJson | undefined;
    if (section.title !== undefined) {
      row = {
        id: nextId++,
        type: 'row',
        title: section.title,
        gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 },
        collapsed: Boolean(section.collapsed),
        panels: [],
        ...(section.repeat === undefined ? {} : { repeat: section.repeat }),
      };
      out.push(row);
      y += 1;
    }
    let x = 0;
    let lineHeight = 0;
    for (const panel of section.panels) {
      if (x + panel.width > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const json = panel.toJson(nextId++, { x, y, w: panel.width, h: panel.height });
      if (row && section.collapsed) row.panels!.push(json);
      else out.push(json);
      x += panel.width;
      lineHeight = Math.max(lineHeight, panel.height);
    }
    y += lineHeight;
  });
  return out;
}
