import { parseArgs } from "node:util";
import { CHANNELS } from "../../functions/domain/codes";
import { startLocalStack } from "./stack";

// `npm start`: the whole system on this machine, no AWS account needed.
// The pinned SDK warns that its releases after January 2027 need Node 22 (Lambda runs 22; see STACK-NOTES).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string" },
    "time-scale": { type: "string", default: "1" },
    "start-at": { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm start -- [--port 3000] [--data .local/data] [--time-scale 3600] [--start-at 2026-12-01T09:00:00+08:00]

  --port         gateway port (default: $PORT or 3000)
  --data         keep DynamoDB data on disk in this folder (default: in memory)
  --time-scale   simulated seconds per real second, for SLA clocks and workflow timers (default 1)
  --start-at     the simulated instant the clock starts at (default: now)
`);
  process.exit(0);
}

/** Open complaints found in on-disk data: how many got a fresh execution, were flagged, or wait for an operator. */
const recoveryLine = (r: { restarted: string[]; flagged: string[]; awaitingOperator: string[] }): string =>
  r.restarted.length + r.flagged.length + r.awaitingOperator.length === 0
    ? ""
    : `\n  recovered    ${r.restarted.length} open complaint(s) restarted, ${r.flagged.length} flagged needs_attention, ${r.awaitingOperator.length} already waiting for an operator`;

const fail = (message: string): never => {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(2);
};

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a TCP port, got '${values.port}'`);
const timeScale = Number(values["time-scale"]);
if (!(timeScale > 0) || timeScale > 10_000_000)
  fail("--time-scale must be a positive number (at most 10000000)");
const startAt = values["start-at"] ? new Date(values["start-at"]) : undefined;
if (startAt && Number.isNaN(startAt.getTime()))
  fail(`--start-at must be an ISO-8601 instant, got '${values["start-at"]}'`);

/** DynamoDB Local died and its data with it: stop everything, loudly, rather than answer 503 for ever. */
let stopForLostStore: (reason: string) => void = (reason) => {
  process.stderr.write(`npm start: the store is gone: ${reason}.\n`);
  process.exit(3);
};

try {
  const stack = await startLocalStack({
    port,
    host: values.host,
    timeScale,
    onStoreLost: (reason) => stopForLostStore(reason),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(startAt ? { startAt } : {}),
  });
  process.stdout.write(`
Complaint handling is running on the embedded target.

  API          ${stack.url}
  console      ${stack.url}/console/   (staff workbench; sign in locally as any team and role)
  dashboard    ${stack.url}/dashboard  (managers)
  analytics    npm run analytics -- --dir ${stack.analyticsDir} --query volume_by_cause
  store        DynamoDB Local on ${stack.dynamoEndpoint} ${values.data ? `(on disk: ${values.data})` : "(in memory)"}; reports:rebuild -- --endpoint ${stack.dynamoEndpoint}
  workflow     embedded Step Functions engine${timeScale !== 1 ? `, clock x${timeScale}` : ""}${stack.resumedClockAt ? `\n  clock        resumed at ${stack.resumedClockAt.toISOString()}, the latest instant this data had seen (later than the start)` : ""}
  evidence     s3rver on ${stack.evidence.url} ${values.data ? `(on disk: ${values.data}/evidence)` : "(temp dir)"}; files checked for type, size and SHA-256 — no malware scanner runs locally${recoveryLine(stack.recovery)}

Credentials (in another terminal):
  staff JWT    npm run --silent token -- --team cards --role agent
  API key      npm run --silent token -- --channel mobile_app     (channels: ${CHANNELS.join(", ")})

Try:
  curl -s ${stack.url}/complaints -H "x-api-key: $(npm run --silent token -- --channel mobile_app)" \\
    -H "Idempotency-Key: demo-0001" -H "Content-Type: application/json" \\
    -d '{"customer":{"id":"C-1001","segment":"mass_retail"},"businessType":"cards","cause":"fees_pricing","description":"Charged twice"}'

Ctrl-C stops everything.
`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\nStopping...\n");
    await stack.stop();
    process.exit(0);
  };
  stopForLostStore = (reason) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(
      `\nnpm start: the store is gone: ${reason}.\n` +
        (values.data
          ? "Start again with the same --data: what was answered is on disk and is replayed.\n"
          : "Nothing of this run can be recovered; run with --data <dir> to keep data across a failure.\n"),
    );
    void stack.stop().finally(() => process.exit(3));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
} catch (e) {
  fail((e as Error).message);
}
