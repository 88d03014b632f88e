import type { ComplaintOutcome, GroupStats, SimResult } from "./model";

const HOUR = 3_600_000;

const medianOf = (xs: number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

/** Figures of a group of complaints as of the horizon. */
export const groupStats = (cs: ComplaintOutcome[], horizon: Date): GroupStats => {
  let met = 0;
  let missed = 0;
  const hours: number[] = [];
  for (const c of cs) {
    if (c.firstResolvedAt) hours.push((Date.parse(c.firstResolvedAt) - Date.parse(c.receivedAt)) / HOUR);
    if (c.breached) missed++;
    else if (c.firstResolvedAt) met++;
    else if (Date.parse(c.resolveBy) <= horizon.getTime()) missed++;
  }
  return {
    complaints: cs.length,
    resolved: cs.filter((c) => c.firstResolvedAt).length,
    met,
    missed,
    attainment: met + missed === 0 ? Number.NaN : met / (met + missed),
    breaches: cs.filter((c) => c.breached).length,
    statutoryBreaches: cs.reduce((s, c) => s + c.statutoryBreaches, 0),
    escalations: cs.reduce((s, c) => s + c.escalations, 0),
    backlog: cs.filter((c) => c.status !== "closed" && !c.firstResolvedAt).length,
    medianResolveHours: medianOf(hours),
  };
};

export const groupBy = (cs: ComplaintOutcome[], key: (c: ComplaintOutcome) => string, horizon: Date) => {
  const groups: Record<string, ComplaintOutcome[]> = {};
  for (const c of cs) {
    const k = key(c);
    groups[k] ??= [];
    groups[k].push(c);
  }
  return Object.fromEntries(
    Object.entries(groups)
      .sort((a, b) => b[1].length - a[1].length)
      .map(([k, v]) => [k, groupStats(v, horizon)]),
  );
};

/** Day-by-day series (local CN days): arrivals, first resolutions, backlog at the day's end. */
export const dailySeries = (
  cs: ComplaintOutcome[],
  start: Date,
  days: number,
  breachTimes: number[],
  escalationTimes: number[],
) => {
  const daily: SimResult["daily"] = [];
  const teams = [...new Set(cs.map((c) => c.team))].sort();
  const byTeam: Record<string, number[]> = Object.fromEntries(teams.map((t) => [t, []]));
  for (let d = 0; d < days; d++) {
    const from = start.getTime() + d * 24 * HOUR;
    const to = from + 24 * HOUR;
    const inDay = (iso?: string) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) < to;
    const openAt = (c: ComplaintOutcome) =>
      Date.parse(c.receivedAt) < to && (!c.firstResolvedAt || Date.parse(c.firstResolvedAt) >= to);
    daily.push({
      day: new Date(from + 8 * HOUR).toISOString().slice(0, 10),
      arrivals: cs.filter((c) => inDay(c.receivedAt)).length,
      resolved: cs.filter((c) => inDay(c.firstResolvedAt)).length,
      backlog: cs.filter(openAt).length,
      breaches: breachTimes.filter((t) => t >= from && t < to).length,
      escalations: escalationTimes.filter((t) => t >= from && t < to).length,
    });
    for (const t of teams) byTeam[t]!.push(cs.filter((c) => c.team === t && openAt(c)).length);
  }
  return { daily, byTeam };
};
