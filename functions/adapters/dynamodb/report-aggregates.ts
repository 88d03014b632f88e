import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type { ReportAggregates } from "../../app/ports";
import {
  type CellAxis,
  type CellItem,
  type CellRange,
  cellItemKey,
  cellRangesOf,
  contributionDelta,
  HISTOGRAM_AXES,
  isEmptyVector,
  type MergedCells,
  mergeCells,
  type OpenRemediation,
  REPORT_AXES,
  type ReportFacts,
  storedParts,
  TOTAL_AXIS,
  type Vector,
  wholeDayRangesOf,
} from "../../domain/report-aggregates";
import * as z from "../../domain/zod";
import { reportFactsSchema } from "./audit-item";
import { key, monthsBetween } from "./keys";
import { QueryPages } from "./query-pages";
import { guarded } from "./store-errors";

/** Queries one report read runs side by side. */
const READ_CONCURRENCY = 16;

const contributionItemSchema = /* @__PURE__ */ (() =>
  z.object({
    pk: z.string(),
    sk: z.literal("REPORTS"),
    seq: z.int().check(z.nonnegative()),
    facts: reportFactsSchema,
  }))();

const META = new Set(["pk", "sk", "lc"]);

const AXES: readonly CellAxis[] = [TOTAL_AXIS, ...REPORT_AXES];
const CELL_SORT = /^([^#]+)#([^#]+)#(.*)$/s;

type Part = "counters" | "histogram";
/** The histogram part of a cell item sorts apart: `~<axis>#...` (after every counters item). */
const HISTOGRAM_MARK = "~";
const sortAxis = (axis: CellAxis, part: Part) => (part === "histogram" ? `${HISTOGRAM_MARK}${axis}` : axis);

/** The partition and sort key of a cell item's part. */
const cellKey = (i: CellItem, part: Part = "counters") =>
  i.cell.grain === "slot"
    ? {
        pk: key.reports.slotCells(i.cell.day),
        sk: key.reports.cellSort(sortAxis(i.axis, part), i.cell.slot, i.value),
      }
    : {
        pk: key.reports.dayCells(i.cell.month),
        sk: key.reports.cellSort(sortAxis(i.axis, part), i.cell.day, i.value),
      };

/** A cell item read back: its axis and value, its vector, when it last changed. */
const fromCellItem = (raw: Record<string, unknown>, grain: CellRange["grain"]) => {
  // Checked by hand, not by zod: a quarter's read parses tens of thousands of these items.
  const attrs = raw as Record<string, unknown>;
  if (typeof attrs.pk !== "string" || typeof attrs.sk !== "string") throw new Error("not a cell item");
  const pk = attrs.pk;
  const [, sortedAxis, at, value] = CELL_SORT.exec(String(attrs.sk)) ?? [];
  if (!sortedAxis || !at || value === undefined) throw new Error(`not a cell item: ${String(attrs.sk)}`);
  const part: Part = sortedAxis.startsWith(HISTOGRAM_MARK) ? "histogram" : "counters";
  const axis = part === "histogram" ? sortedAxis.slice(HISTOGRAM_MARK.length) : sortedAxis;
  const vector: Vector = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (META.has(k)) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`cell attribute ${k} is not a number`);
    vector[k] = v;
  }
  const where = pk.slice(pk.lastIndexOf("#") + 1);
  const cell =
    grain === "slot"
      ? ({ grain, day: where, slot: at } as const)
      : ({ grain, month: where, day: at } as const);
  return {
    item: { cell, axis: axis as CellAxis, value } satisfies CellItem,
    part,
    vector,
    ...(typeof attrs.lc === "string" ? { lastChangedAt: attrs.lc } : {}),
  };
};

const rangeQuery = (r: CellRange, cellAxis: CellAxis, part: Part) => {
  const axis = sortAxis(cellAxis, part);
  return r.grain === "slot"
    ? {
        pk: key.reports.slotCells(r.day),
        low: key.reports.cellSort(axis, r.fromSlot, ""),
        high: key.reports.cellSort(axis, r.toSlot, "\uffff"),
      }
    : {
        pk: key.reports.dayCells(r.month),
        low: key.reports.cellSort(axis, r.fromDay, ""),
        high: key.reports.cellSort(axis, r.toDay, "\uffff"),
      };
};

/** Runs `jobs` with at most `n` at a time. */
const pooled = async <T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> => {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) out[i] = await (jobs[i] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
};

/**
 * The report aggregates on DynamoDB. Cells: `REPORTS#SLOT#<day>` (quarter-hours of a UTC day) and
 * `REPORTS#DAY#<month>` (days of a UTC month), sort key `<axis>#<slot|day>#<value>`, one number attribute
 * per vector entry, `lc` the instant it last changed. A complaint's contribution is the item
 * `COMPLAINT#<id>` / `REPORTS` ({ seq, facts }); a change replaces it and adds the difference to its cells
 * in one transaction, conditional on the contribution read, so a redelivered event is a no-op.
 */
export class DynamoReportAggregates implements ReportAggregates {
  private readonly pages: QueryPages;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.pages = new QueryPages(db, tableName);
  }

  async contribution(complaintId: string) {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key.reports.contribution(complaintId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!out.Item) return undefined;
    const item = contributionItemSchema.parse(out.Item);
    return { seq: item.seq, facts: item.facts as ReportFacts };
  }

  async apply(complaintId: string, seq: number, facts: ReportFacts, at: Date) {
    const current = await this.contribution(complaintId);
    if (current && current.seq >= seq) return "stale" as const;
    const deltas = contributionDelta(current?.facts, facts);
    const remediationBefore = JSON.stringify(current?.facts.openRemediation ?? null);
    const remediationAfter = JSON.stringify(facts.openRemediation ?? null);
    if (deltas.length === 0 && remediationBefore === remediationAfter && current) return "unchanged" as const;
    const lc = at.toISOString();
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...key.reports.contribution(complaintId), seq, facts },
          ...(current
            ? {
                ConditionExpression: "#seq = :seq",
                ExpressionAttributeNames: { "#seq": "seq" },
                ExpressionAttributeValues: { ":seq": current.seq },
              }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        },
      },
      ...deltas
        .flatMap(({ item, delta }) => {
          const parts = storedParts(item.axis, delta);
          return (["counters", "histogram"] as const)
            .filter((part) => Object.keys(parts[part]).length > 0)
            .map((part) => ({ item, part, delta: parts[part] }));
        })
        .map(({ item, part, delta }) => {
          const names: Record<string, string> = { "#lc": "lc" };
          const values: Record<string, unknown> = { ":lc": lc };
          const adds = Object.entries(delta).map(([k, v], i) => {
            names[`#a${i}`] = k;
            values[`:a${i}`] = v;
            return `#a${i} :a${i}`;
          });
          return {
            Update: {
              TableName: this.tableName,
              Key: cellKey(item, part),
              UpdateExpression: `ADD ${adds.join(", ")} SET #lc = :lc`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          };
        }),
    ];
    if (remediationBefore !== remediationAfter) {
      const remediationKey = {
        pk: key.reports.remediation(facts.receivedAt.slice(0, 7)),
        sk: key.reports.remediationSort(facts.receivedAt, complaintId),
      };
      items.push(
        facts.openRemediation
          ? {
              Put: {
                TableName: this.tableName,
                Item: { ...remediationKey, complaintId, action: facts.openRemediation },
              },
            }
          : { Delete: { TableName: this.tableName, Key: remediationKey } },
      );
    }
    await guarded(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
    return "applied" as const;
  }

  /**
   * The raw cell items of the axes over [from, to) (every slot and day cell of whole days, for a rebuild),
   * with their histogram parts when asked.
   */
  private async cellItems(
    from: Date,
    to: Date,
    axes: readonly CellAxis[],
    options: { wholeDays?: boolean; histograms?: boolean } = {},
  ) {
    const ranges = options.wholeDays ? wholeDayRangesOf(from, to) : cellRangesOf(from, to);
    const parts: { axis: CellAxis; part: Part }[] = axes.flatMap((axis) => [
      { axis, part: "counters" as const },
      ...(options.histograms && HISTOGRAM_AXES.includes(axis) ? [{ axis, part: "histogram" as const }] : []),
    ]);
    const jobs = ranges.flatMap((r) =>
      parts.map(({ axis, part }) => async () => {
        const q = rangeQuery(r, axis, part);
        const items = await this.pages.all({
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :low AND :high",
          ExpressionAttributeValues: { ":pk": q.pk, ":low": q.low, ":high": q.high },
        });
        return items.map((i) => fromCellItem(i, r.grain));
      }),
    );
    return (await pooled(jobs, READ_CONCURRENCY)).flat();
  }

  async read(
    from: Date,
    to: Date,
    axes: readonly CellAxis[],
    options: { histograms?: boolean } = {},
  ): Promise<MergedCells> {
    const wanted = [...new Set<CellAxis>([TOTAL_AXIS, ...axes])];
    const items = await this.cellItems(from, to, wanted, options);
    return mergeCells(
      items.map((i) => ({
        axis: i.item.axis,
        value: i.item.value,
        vector: i.vector,
        ...(i.lastChangedAt ? { lastChangedAt: i.lastChangedAt } : {}),
      })),
    );
  }

  async openRemediation(from: Date, to: Date) {
    const low = from.toISOString();
    const high = to.toISOString();
    const found: { complaintId: string; action: OpenRemediation }[] = [];
    for (const month of monthsBetween(from, to)) {
      const items = await this.pages.all({
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :low AND :high",
        ExpressionAttributeValues: { ":pk": key.reports.remediation(month), ":low": low, ":high": high },
      });
      for (const raw of items) {
        const item = remediationItemSchema.parse(raw);
        if (item.sk >= high) continue;
        found.push({ complaintId: item.complaintId, action: item.action });
      }
    }
    return found;
  }

  async replaceCells(
    from: Date,
    to: Date,
    cells: Iterable<{ item: CellItem; vector: Vector }>,
    at: Date,
    options: { dryRun?: boolean } = {},
  ): Promise<number> {
    const stored = new Map<string, { item: CellItem; part: Part; vector: Vector }>();
    for (const i of await this.cellItems(from, to, AXES, { wholeDays: true, histograms: true }))
      stored.set(`${i.part}|${cellItemKey(i.item)}`, i);
    const writes: Record<string, unknown>[] = [];
    const expected = new Set<string>();
    for (const { item, vector } of cells) {
      const parts = storedParts(item.axis, vector);
      for (const part of ["counters", "histogram"] as const) {
        if (Object.keys(nonZero(parts[part])).length === 0) continue;
        const k = `${part}|${cellItemKey(item)}`;
        expected.add(k);
        const before = stored.get(k);
        if (before && sameVector(before.vector, parts[part])) continue;
        writes.push({
          PutRequest: { Item: { ...cellKey(item, part), ...nonZero(parts[part]), lc: at.toISOString() } },
        });
      }
    }
    for (const [k, { item, part, vector }] of stored) {
      if (expected.has(k) || isEmptyVector(vector)) continue;
      writes.push({ DeleteRequest: { Key: cellKey(item, part) } });
    }
    if (options.dryRun) return writes.length;
    for (let i = 0; i < writes.length; i += 25) {
      let batch: Record<string, unknown>[] | undefined = writes.slice(i, i + 25);
      for (let attempt = 0; batch?.length && attempt < 8; attempt++) {
        const out = await guarded(() =>
          this.db.send(
            new BatchWriteCommand({
              RequestItems: { [this.tableName]: batch as never },
            }),
          ),
        );
        batch = out.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
      if (batch?.length) throw new Error("the store left cell writes unprocessed; run the rebuild again");
    }
    return writes.length;
  }
}

const remediationItemSchema = /* @__PURE__ */ (() =>
  z.object({
    pk: z.string(),
    sk: z.string(),
    complaintId: z.string(),
    action: reportFactsSchema.shape.openRemediation.def.innerType,
  }))();

const nonZero = (v: Vector): Vector => Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0));

const sameVector = (a: Vector, b: Vector): boolean => {
  const x = nonZero(a);
  const y = nonZero(b);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (Math.abs((x[k] ?? 0) - (y[k] ?? 0)) > 1e-9) return false;
  return true;
};
