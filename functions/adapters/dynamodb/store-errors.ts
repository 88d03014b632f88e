import { type DynamoDBServiceException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransientStoreError } from "../../app/ports";

/** DynamoDB's names for throttling and outages: retried by the callers (and the workflow), never a 4xx. */
const TRANSIENT = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionInProgressException",
  "TimeoutError",
]);

const isNetworkError = (e: unknown): boolean =>
  e instanceof Error &&
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up/.test(
    `${e.message} ${String((e as { code?: string }).code ?? "")}`,
  );

/** Turns the store's throttling and outages into one error the callers (and the workflow) retry on. */
export const translate = (e: unknown): unknown => {
  const name = (e as DynamoDBServiceException | undefined)?.name ?? "";
  if (TRANSIENT.has(name) || isNetworkError(e)) {
    return new TransientStoreError(`the complaint store is unavailable (${name || "network"})`, { cause: e });
  }
  if (e instanceof TransactionCanceledException) {
    const reasons = e.CancellationReasons?.map((r) => r.Code ?? "None") ?? [];
    if (
      reasons.some(
        (r) =>
          r === "ThrottlingError" || r === "TransactionConflict" || r === "ProvisionedThroughputExceeded",
      )
    ) {
      return new TransientStoreError(`the complaint store refused a transaction (${reasons.join(",")})`, {
        cause: e,
      });
    }
  }
  return e;
};

/** Runs one store call, translating its transient failures. */
export const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
  try {
    return await op();
  } catch (e) {
    throw translate(e);
  }
};
