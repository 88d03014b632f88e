import type { GroupStats, SimResult } from "./model";

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const COLORS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");

/** A line chart as inline SVG (no scripts, no external assets). */
export const lineChart = (
  title: string,
  labels: string[],
  series: { name: string; values: number[] }[],
  w = 760,
  h = 260,
) => {
  const pad = { l: 48, r: 150, t: 28, b: 40 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad.l + (labels.length <= 1 ? 0 : (i * (w - pad.l - pad.r)) / (labels.length - 1));
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const every = Math.max(1, Math.ceil(labels.length / 10));
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">
<text x="${pad.l}" y="18" font-weight="bold">${esc(title)}</text>
${ticks.map((t) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${pad.l - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t}</text>`).join("\n")}
${labels.map((l, i) => (i % every === 0 ? `<text x="${x(i)}" y="${h - pad.b + 16}" text-anchor="middle" font-size="10">${esc(l.slice(5))}</text>` : "")).join("")}
${series
  .map(
    (s, k) =>
      `<polyline fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>` +
      `<rect x="${w - pad.r + 10}" y="${pad.t + k * 16}" width="10" height="10" fill="${COLORS[k % COLORS.length]}"/><text x="${w - pad.r + 24}" y="${pad.t + 9 + k * 16}" font-size="11">${esc(s.name)}</text>`,
  )
  .join("\n")}
</svg>`;
};

/** A grouped bar chart as inline SVG. */
export const barChart = (
  title: string,
  groups: string[],
  series: { name: string; values: number[] }[],
  opts: { percent?: boolean } = {},
  w = 760,
  h = 280,
) => {
  const pad = { l: 48, r: 150, t: 28, b: 70 };
  const max = opts.percent ? 1 : Math.max(1, ...series.flatMap((s) => s.values.filter(Number.isFinite)));
  const gw = (w - pad.l - pad.r) / Math.max(1, groups.length);
  const bw = (gw * 0.8) / Math.max(1, series.length);
  const y = (v: number) => h - pad.b - ((Number.isFinite(v) ? v : 0) / max) * (h - pad.t - pad.b);
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">
<text x="${pad.l}" y="18" font-weight="bold">${esc(title)}</text>
${[0, 0.5, 1].map((f) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#eee"/><text x="${pad.l - 6}" y="${y(max * f) + 4}" text-anchor="end" font-size="11">${opts.percent ? `${f * 100}%` : Math.round(max * f)}</text>`).join("\n")}
${groups
  .map(
    (g, i) =>
      series
        .map((s, k) => {
          const v = s.values[i] ?? 0;
          const bx = pad.l + i * gw + gw * 0.1 + k * bw;
          return `<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(h - pad.b - y(v)).toFixed(1)}" fill="${COLORS[k % COLORS.length]}"><title>${esc(s.name)} ${esc(g)}: ${opts.percent ? pct(v) : v}</title></rect>`;
        })
        .join("") +
      `<text transform="translate(${(pad.l + i * gw + gw / 2).toFixed(1)},${h - pad.b + 12}) rotate(30)" font-size="10">${esc(g)}</text>`,
  )
  .join("\n")}
${series.map((s, k) => `<rect x="${w - pad.r + 10}" y="${pad.t + k * 16}" width="10" height="10" fill="${COLORS[k % COLORS.length]}"/><text x="${w - pad.r + 24}" y="${pad.t + 9 + k * 16}" font-size="11">${esc(s.name)}</text>`).join("\n")}
</svg>`;
};

const statsTable = (title: string, runs: SimResult[], pick: (r: SimResult) => Record<string, GroupStats>) => {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))];
  const head = runs.length > 1 ? runs.map((r) => `<th colspan="6">${esc(r.label)}</th>`).join("") : "";
  const cols = ["complaints", "SLA attainment", "breaches", "statutory", "escalations", "backlog"];
  return `<h3>${esc(title)}</h3><table><thead>${head ? `<tr><th></th>${head}</tr>` : ""}<tr><th></th>${runs.map(() => cols.map((c) => `<th>${c}</th>`).join("")).join("")}</tr></thead><tbody>
${keys
  .map(
    (k) =>
      `<tr><td>${esc(k)}</td>${runs
        .map((r) => {
          const g = pick(r)[k];
          return g
            ? `<td>${g.complaints}</td><td>${pct(g.attainment)}</td><td>${g.breaches}</td><td>${g.statutoryBreaches}</td><td>${g.escalations}</td><td>${g.backlog}</td>`
            : "<td colspan=6>-</td>";
        })
        .join("")}</tr>`,
  )
  .join("\n")}
</tbody></table>`;
};

/** The HTML report of one run, or two runs side by side. Self-contained: inline CSS and SVG only. */
export const renderHtml = (runs: SimResult[]): string => {
  const first = runs[0]!;
  const labels = first.daily.map((d) => d.day);
  const teams = [...new Set(runs.flatMap((r) => Object.keys(r.byTeam)))];
  const segments = [...new Set(runs.flatMap((r) => Object.keys(r.bySegment)))];
  const options = runs
    .map(
      (r) =>
        `<li><b>${esc(r.label)}</b>: ${r.options.days} days from ${esc(r.options.start)}, ${r.options.arrivalsPerDay}/day, staff ${esc(
          Object.entries(r.options.staff)
            .map(([t, n]) => `${t}=${n}`)
            .join(", "),
        )}, policy <code>${esc(JSON.stringify(r.options.policy))}</code>, clock x${r.options.timeScale}, seed ${r.options.seed}, ${r.realSeconds.toFixed(0)} s real</li>`,
    )
    .join("");
  const totals = `<table><thead><tr><th></th>${runs.map((r) => `<th>${esc(r.label)}</th>`).join("")}</tr></thead><tbody>
${(
  [
    ["arrivals", (r: SimResult) => r.totals.submitted],
    ["SLA attainment", (r: SimResult) => pct(r.totals.attainment)],
    ["internal SLA breaches", (r: SimResult) => r.totals.breaches],
    ["statutory breaches", (r: SimResult) => r.totals.statutoryBreaches],
    ["escalations", (r: SimResult) => r.totals.escalations],
    ["backlog at the end", (r: SimResult) => r.totals.backlog],
    ["median hours to first resolution", (r: SimResult) => r.totals.medianResolveHours.toFixed(1)],
    ["HTTP 5xx", (r: SimResult) => r.totals.http5xx],
  ] as const
)
  .map(([k, f]) => `<tr><td>${k}</td>${runs.map((r) => `<td>${f(r)}</td>`).join("")}</tr>`)
  .join("\n")}
</tbody></table>`;
  const backlogSeries =
    runs.length > 1
      ? runs.map((r) => ({ name: r.label, values: r.daily.map((d) => d.backlog) }))
      : [
          { name: "backlog", values: first.daily.map((d) => d.backlog) },
          { name: "arrivals", values: first.daily.map((d) => d.arrivals) },
          { name: "resolved", values: first.daily.map((d) => d.resolved) },
        ];
  const perTeamBacklog =
    runs.length === 1
      ? lineChart(
          "Backlog at the end of each day, by team",
          labels,
          Object.entries(first.dailyBacklogByTeam).map(([t, v]) => ({ name: t, values: v })),
        )
      : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Complaint handling simulation${runs.length > 1 ? " — comparison" : ""}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:right}td:first-child{text-align:left}svg{display:block;margin:12px 0;font-family:system-ui,sans-serif}code{font-size:11px}</style></head><body>
<h1>Complaint handling simulation${runs.length > 1 ? ": two options side by side" : ""}</h1>
<p>Synthetic arrivals replayed through the real embedded system (HTTP API, workflow engine, DynamoDB Local) at a scaled clock; simulated staff work their team queues within CN business hours. SLA attainment = complaints resolved before breaching their resolution target / (those + complaints that breached or are overdue at the end).</p>
<ul>${options}</ul>
<h2>Totals</h2>${totals}
<h2>Charts</h2>
${lineChart(runs.length > 1 ? "Open (unresolved) complaints at the end of each day" : "Arrivals, resolutions and backlog per day", labels, backlogSeries)}
${perTeamBacklog}
${barChart(
  "SLA attainment by team",
  teams,
  runs.map((r) => ({ name: r.label, values: teams.map((t) => r.byTeam[t]?.attainment ?? Number.NaN) })),
  { percent: true },
)}
${barChart(
  "Backlog at the end, by team",
  teams,
  runs.map((r) => ({ name: r.label, values: teams.map((t) => r.byTeam[t]?.backlog ?? 0) })),
)}
${barChart(
  "SLA attainment by segment",
  segments,
  runs.map((r) => ({ name: r.label, values: segments.map((s) => r.bySegment[s]?.attainment ?? Number.NaN) })),
  { percent: true },
)}
${lineChart(
  "Escalations per day",
  labels,
  runs.map((r) => ({ name: r.label, values: r.daily.map((d) => d.escalations) })),
)}
<h2>By team</h2>${statsTable("Teams", runs, (r) => r.byTeam)}
<h2>By segment</h2>${statsTable("Segments", runs, (r) => r.bySegment)}
</body></html>`;
};
