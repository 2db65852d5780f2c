/**
 * The report pages' look. The table rules are scoped to the page's own tables: the chart library
 * lays its canvases out in a table too, and a margin or border on it pushed the time axis below
 * the chart's box (month labels cut in half).
 */
export const PAGE_STYLE =
  "body{font-family:system-ui,sans-serif;margin:24px;color:#222}" +
  "table.data{border-collapse:collapse;margin:12px 0}table.data td,table.data th{border:1px solid #ddd;padding:4px 8px;text-align:right}" +
  "table.data th{background:#f5f5f5}table.data td:first-child,table.data th:first-child{text-align:left}" +
  ".chart{height:420px;margin:12px 0}.legend{display:flex;gap:18px;margin:6px 0;font-size:13px}" +
  ".legend span::before{content:'';display:inline-block;width:14px;height:3px;margin-right:6px;vertical-align:middle;background:var(--c)}";

/** A legend above a chart (never over its axes): each line's colour and name. */
export function legend(id: string, lines: readonly { name: string; color: string }[]): string {
  const esc = (t: string) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<div class="legend" id="${id}">${lines.map((l) => `<span style="--c:${esc(l.color)}">${esc(l.name)}</span>`).join("")}</div>`;
}
