import { parseArgs } from "node:util";

// `npm run reports:rebuild -- --from 2026-07-01 --to 2026-08-01 [--check] [--endpoint URL] [--table NAME]`:
// recomputes the report aggregates of whole UTC days from the audit trail, in this process, against a
// DynamoDB table: the embedded target's store (its endpoint is printed by `npm start`) or, with AWS
// credentials in the environment and no endpoint, the deployed table. On AWS the same job is the
// `reportsRebuild` function: `aws lambda invoke --function-name <name> --payload '{"from":..,"to":..}'`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { values } = parseArgs({
  options: {
    from: { type: "string" },
    to: { type: "string" },
    check: { type: "boolean", default: false },
    endpoint: { type: "string" },
    table: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

const usage = `Usage: npm run reports:rebuild -- --from <yyyy-mm-dd> --to <yyyy-mm-dd> [--check] [--endpoint URL] [--table NAME]

  --from, --to  whole UTC days [from, to), at most 366
  --check       write nothing: say how many cell items differ from the recount
  --endpoint    a DynamoDB endpoint (the embedded target's store, as npm start prints it)
  --table       the table (default $TABLE_NAME, or complaints-local with --endpoint)
`;
if (values.help || !values.from || !values.to) {
  process.stdout.write(usage);
  process.exit(values.help ? 0 : 2);
}

if (values.endpoint) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = values.endpoint;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  process.env.TABLE_NAME ??= "complaints-local";
}
if (values.table) process.env.TABLE_NAME = values.table;
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";

const { rebuildRequestSchema, rebuildReports } = await import("../functions/app/report-rebuild");
const { reportDependencies } = await import("../functions/adapters/runtime");
const parsed = rebuildRequestSchema.safeParse({ from: values.from, to: values.to, checkOnly: values.check });
if (!parsed.success) {
  for (const issue of parsed.error.issues)
    process.stderr.write(`reports:rebuild: --${issue.path.join(".") || "from"}: ${issue.message}\n`);
  process.exit(2);
}
const result = await rebuildReports(parsed.data, reportDependencies());
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(values.check && result.cellsCorrected > 0 ? 1 : 0);
