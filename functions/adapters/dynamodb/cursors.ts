import { TABLE } from "./table-schema";

/** A pagination cursor this API did not issue (or one that was altered): the client's 400. */
export class InvalidCursorError extends Error {
  constructor() {
    super("the pagination cursor is not one this API issued");
    this.name = "InvalidCursorError";
  }
}

/** Cursors are opaque to clients: base64url of the last evaluated key. */
export const encodeCursor = (k: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(k)).toString("base64url");

/**
 * The last evaluated key a cursor carries, checked to be exactly the keys of one index (string values
 * only) and, when given, of one partition of it: a cursor of another queue or customer is refused.
 */
export const decodeCursor = (
  cursor: string,
  index: { partitionKey: string; sortKey: string },
  partition?: string,
): Record<string, unknown> => {
  const expected = [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey].sort().join();
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>;
    if (
      typeof parsed !== "object" ||
      parsed === null ||
      Object.keys(parsed).sort().join() !== expected ||
      !Object.values(parsed).every((v) => typeof v === "string") ||
      (partition !== undefined && parsed[index.partitionKey] !== partition)
    ) {
      throw new InvalidCursorError();
    }
    return parsed;
  } catch {
    throw new InvalidCursorError();
  }
};
