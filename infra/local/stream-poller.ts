import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecordOut,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { matchesFilter } from "./stream-filter";

/*
 * The embedded target's event source mapping: reads DynamoDB Local's own streams API and hands each
 * consumer its records as Lambda would — batches of at most `batchSize` records that pass the consumer's
 * filters, in sequence order per shard, a partial batch response retried from its lowest failed record,
 * bisect when the handler throws, bounded retries with backoff, then the batch to a dead-letter list. Each
 * consumer's position is its own, kept durably in `checkpointFile` (with `--data`) so a restart resumes
 * where it stopped: delivery is at least once.
 */

export interface LocalStreamConsumer {
  id: string;
  /** Lambda filter patterns (any one matching lets a record through). */
  filters: readonly object[];
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
}

/** A batch that failed its retries, as the on-failure destination would describe it (no record content). */
export interface DeadLetter {
  consumer: string;
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  records: number;
  attempts: number;
  error: string;
  at: string;
}

export interface StreamPollerOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  consumers: readonly LocalStreamConsumer[];
  batchSize: number;
  retryAttempts: number;
  /** Where positions and dead letters are kept (omitted: in memory). */
  checkpointFile?: string;
  /** Real milliseconds between polls while records arrive, and at most while idle. */
  activePollMs?: number;
  idlePollMs?: number;
  /** First retry delay (doubles per attempt, capped at 4 s). */
  retryBackoffMs?: number;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

interface State {
  /** consumer -> shard -> last sequence number delivered (or skipped by the filter). */
  positions: Record<string, Record<string, string>>;
  /** Shards every consumer has read to their end (closed and exhausted). */
  finished: string[];
  deadLetters: DeadLetter[];
}

export interface StreamPoller {
  deadLetters(): DeadLetter[];
  /** Where each consumer stands, per shard. */
  positions(): Record<string, Record<string, string>>;
  /** Resolves once every record written so far has been handed to every consumer (tests, the bench). */
  drained(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const seqOf = (r: StreamRecordOut) => r.dynamodb?.SequenceNumber ?? "0";
const after = (a: string, b: string | undefined) => b === undefined || BigInt(a) > BigInt(b);

/** A record as the Lambda event carries it (epoch-second creation time; the same AttributeValue JSON). */
const toLambdaRecord = (r: StreamRecordOut, streamArn: string): DynamoDBRecord =>
  ({
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: r.awsRegion ?? "us-east-1",
    eventSourceARN: streamArn,
    dynamodb: {
      ...r.dynamodb,
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? r.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
    },
  }) as DynamoDBRecord;

const load = (file: string | undefined): State => {
  if (file && existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<State>;
    return {
      positions: parsed.positions ?? {},
      finished: parsed.finished ?? [],
      deadLetters: parsed.deadLetters ?? [],
    };
  }
  return { positions: {}, finished: [], deadLetters: [] };
};

export const startStreamPoller = async (opts: StreamPollerOptions): Promise<StreamPoller> => {
  const activeMs = opts.activePollMs ?? 20;
  const idleMs = opts.idlePollMs ?? 250;
  const backoffMs = opts.retryBackoffMs ?? 250;
  const state = load(opts.checkpointFile);
  const log = opts.log ?? (() => undefined);
  for (const c of opts.consumers) state.positions[c.id] ??= {};
  let dirty = false;
  const save = () => {
    if (!opts.checkpointFile || !dirty) return;
    const tmp = `${opts.checkpointFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, opts.checkpointFile);
    dirty = false;
  };

  const table = await opts.dynamo.send(new DescribeTableCommand({ TableName: opts.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${opts.tableName} has no stream: the outbox cannot be delivered`);

  /** Retry bookkeeping: consumer -> the first failed sequence number -> attempts and when to try again. */
  const retries = new Map<string, { seq: string; attempts: number; notBefore: number }>();
  const readers = new Map<string, { iterator?: string; position?: string; ended: boolean }>();

  const shards = async () => {
    const out: { ShardId: string; ParentShardId?: string }[] = [];
    let start: string | undefined;
    do {
      const d = await opts.streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      for (const s of d.StreamDescription?.Shards ?? [])
        if (s.ShardId)
          out.push({ ShardId: s.ShardId, ...(s.ParentShardId ? { ParentShardId: s.ParentShardId } : {}) });
      start = d.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return out;
  };

  /** The lowest position any consumer has on a shard (undefined: someone starts from the beginning). */
  const lowest = (shardId: string): string | undefined => {
    let low: string | undefined;
    for (const c of opts.consumers) {
      const p = state.positions[c.id]?.[shardId];
      if (p === undefined) return undefined;
      if (low === undefined || BigInt(p) < BigInt(low)) low = p;
    }
    return low;
  };

  const read = async (shardId: string): Promise<{ records: StreamRecordOut[]; ended: boolean }> => {
    const from = lowest(shardId);
    let reader = readers.get(shardId);
    if (!reader || reader.position !== from || !reader.iterator) {
      const it = await opts.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(from === undefined
            ? { ShardIteratorType: "TRIM_HORIZON" }
            : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: from }),
        }),
      );
      reader = { iterator: it.ShardIterator, position: from, ended: false };
      readers.set(shardId, reader);
    }
    try {
      const out = await opts.streams.send(
        new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: 1000 }),
      );
      const records = out.Records ?? [];
      reader.iterator = out.NextShardIterator;
      reader.ended = out.NextShardIterator === undefined || out.NextShardIterator === null;
      // The next read continues from here only if nobody is held back before it.
      reader.position = records.length ? seqOf(records[records.length - 1]!) : reader.position;
      return { records, ended: reader.ended };
    } catch (e) {
      if (e instanceof ExpiredIteratorException || e instanceof TrimmedDataAccessException) {
        readers.delete(shardId);
        return { records: [], ended: false };
      }
      throw e;
    }
  };

  const passes = (consumer: LocalStreamConsumer, r: StreamRecordOut) => {
    const lambda = toLambdaRecord(r, streamArn);
    return consumer.filters.some((f) => matchesFilter(f, lambda));
  };

  /** Hands one consumer its share of the records; false when a retry holds it back. */
  const deliver = async (consumer: LocalStreamConsumer, shardId: string, records: StreamRecordOut[]) => {
    const positions = state.positions[consumer.id] as Record<string, string>;
    const pending = records.filter((r) => after(seqOf(r), positions[shardId]));
    if (pending.length === 0) return true;
    const retry = retries.get(consumer.id);
    if (retry && Date.now() < retry.notBefore) return false;
    // Records the filters leave out are passed over, as the event source mapping does.
    let skipTo: string | undefined;
    const batch: StreamRecordOut[] = [];
    for (const r of pending) {
      if (passes(consumer, r)) batch.push(r);
      else if (batch.length === 0) skipTo = seqOf(r);
      if (batch.length === opts.batchSize) break;
    }
    if (batch.length === 0) {
      positions[shardId] = seqOf(pending[pending.length - 1]!);
      dirty = true;
      return true;
    }
    if (skipTo) {
      positions[shardId] = skipTo;
      dirty = true;
    }
    const failedFrom = await invoke(consumer, batch);
    if (failedFrom === undefined) {
      // Delivered up to the batch's end; when no matching record follows, the rest were passed over too.
      const last = seqOf(batch[batch.length - 1]!);
      const more = pending.some((r) => BigInt(seqOf(r)) > BigInt(last) && passes(consumer, r));
      positions[shardId] = more ? last : seqOf(pending[pending.length - 1]!);
      retries.delete(consumer.id);
      dirty = true;
      return true;
    }
    // Everything before the first failed record is delivered; retry from there, bounded.
    const index = batch.findIndex((r) => seqOf(r) === failedFrom.seq);
    const before = index > 0 ? seqOf(batch[index - 1]!) : undefined;
    if (before) positions[shardId] = before;
    const attempts = (retry?.seq === failedFrom.seq ? retry.attempts : 0) + 1;
    if (attempts > opts.retryAttempts) {
      const failed = batch.slice(Math.max(0, index));
      const letter: DeadLetter = {
        consumer: consumer.id,
        shardId,
        firstSequenceNumber: seqOf(failed[0]!),
        lastSequenceNumber: seqOf(failed[failed.length - 1]!),
        records: failed.length,
        attempts,
        error: failedFrom.error,
        at: new Date().toISOString(),
      };
      state.deadLetters.push(letter);
      log("stream batch dead-lettered after its retries", { ...letter });
      positions[shardId] = letter.lastSequenceNumber;
      retries.delete(consumer.id);
    } else {
      retries.set(consumer.id, {
        seq: failedFrom.seq,
        attempts,
        notBefore: Date.now() + Math.min(4000, backoffMs * 2 ** (attempts - 1)),
      });
    }
    dirty = true;
    return false;
  };

  /** Invokes the handler; the first failed record, or none. A throwing handler is bisected, as on AWS. */
  const invoke = async (
    consumer: LocalStreamConsumer,
    batch: StreamRecordOut[],
  ): Promise<{ seq: string; error: string } | undefined> => {
    try {
      const out = await consumer.handler({ Records: batch.map((r) => toLambdaRecord(r, streamArn)) });
      const failed = (out?.batchItemFailures ?? [])
        .map((f) => f.itemIdentifier)
        .filter((s): s is string => !!s);
      if (failed.length === 0) return undefined;
      const seq = failed.reduce((a, b) => (BigInt(a) <= BigInt(b) ? a : b));
      return { seq, error: "partial batch failure" };
    } catch (e) {
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        return (await invoke(consumer, batch.slice(0, half))) ?? (await invoke(consumer, batch.slice(half)));
      }
      return { seq: seqOf(batch[0]!), error: (e as Error | undefined)?.name ?? "Error" };
    }
  };

  let stopped = false;
  let idleRounds = 0;
  let caughtUp = false;
  const poll = async (): Promise<boolean> => {
    let progressed = false;
    let behind = false;
    const all = await shards();
    const known = new Set(all.map((s) => s.ShardId));
    for (const shard of all) {
      if (state.finished.includes(shard.ShardId)) continue;
      // Children wait for their parent: records of one key stay in order across a shard split.
      if (
        shard.ParentShardId &&
        known.has(shard.ParentShardId) &&
        !state.finished.includes(shard.ParentShardId)
      )
        continue;
      const { records, ended } = await read(shard.ShardId);
      // Each consumer is its own event source mapping, as on AWS: they take the shard's records side by
      // side (each in its own order, with its own position and retries), so a slow one — the report
      // aggregates' transactions — no longer holds every other destination back.
      const delivered = await Promise.all(
        opts.consumers.map(async (consumer) => {
          const before = state.positions[consumer.id]?.[shard.ShardId];
          const ok = await deliver(consumer, shard.ShardId, records);
          const now = state.positions[consumer.id]?.[shard.ShardId];
          if (now !== before) progressed = true;
          return ok && records.every((r) => !after(seqOf(r), now));
        }),
      );
      const allDelivered = delivered.every(Boolean);
      if (!allDelivered) behind = true;
      if (records.length > 0) progressed = true;
      if (ended && allDelivered) {
        state.finished.push(shard.ShardId);
        dirty = true;
      }
    }
    save();
    caughtUp = !behind && !progressed;
    return progressed || behind;
  };

  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        busy = await poll();
      } catch (e) {
        log("stream poll failed; retrying", { error: (e as Error | undefined)?.name ?? "Error" });
      }
      idleRounds = busy ? 0 : idleRounds + 1;
      const wait = busy ? activeMs : Math.min(idleMs, activeMs * 2 ** Math.min(idleRounds, 10));
      await new Promise((r) => setTimeout(r, wait));
    }
  })();

  return {
    deadLetters: () => [...state.deadLetters],
    positions: () => JSON.parse(JSON.stringify(state.positions)),
    drained: async (timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      caughtUp = false;
      while (!caughtUp) {
        if (Date.now() > deadline) throw new Error(`the stream was not drained within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: async () => {
      stopped = true;
      await loop;
      save();
    },
  };
};
