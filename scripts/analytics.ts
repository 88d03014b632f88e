import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  ANALYTICS_COLUMNS,
  ANALYTICS_QUERIES,
  ANALYTICS_TABLE,
  type AnalyticsQueryName,
  analyticsSql,
} from "../functions/domain/analytics";

// `npm run analytics -- --query <name> [--dir <folder>] [--json]`: a saved query (the same SQL Athena runs
// on AWS) with DuckDB over the embedded target's projection (`npm start` prints its folder; with
// `--data .local/data` it is `.local/data/analytics`).

const { values } = parseArgs({
  options: {
    query: { type: "string" },
    dir: { type: "string", default: ".local/data/analytics" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
const names = Object.keys(ANALYTICS_QUERIES) as AnalyticsQueryName[];
if (values.help || !values.query) {
  process.stdout.write(
    `Usage: npm run analytics -- --query <name> [--dir .local/data/analytics] [--json]\n\n${names
      .map((n) => `  ${n.padEnd(28)}${ANALYTICS_QUERIES[n].description}`)
      .join("\n")}\n`,
  );
  process.exit(values.help ? 0 : 2);
}
if (!(names as string[]).includes(values.query)) {
  process.stderr.write(`analytics: --query must be one of ${names.join(", ")}\n`);
  process.exit(2);
}

/** Whether the folder holds any projected change (DuckDB refuses a glob that matches nothing). */
const hasFiles = (dir: string): boolean => {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && entry.name.endsWith(".json")) return true;
  return false;
};

const root = resolve(values.dir ?? "");
const tableDir = join(root, ANALYTICS_TABLE);
const columns = ANALYTICS_COLUMNS.map((c) => `'${c.name}': '${c.duckdb}'`).join(", ");
const db = await DuckDBInstance.create(":memory:");
const connection = await db.connect();
if (hasFiles(tableDir)) {
  const glob = join(tableDir, "**", "*.json").replaceAll("'", "''");
  await connection.run(
    `CREATE VIEW ${ANALYTICS_TABLE} AS SELECT * FROM read_json('${glob}', format = 'newline_delimited', columns = {${columns}}, hive_partitioning = true)`,
  );
} else {
  const defs = ANALYTICS_COLUMNS.map((c) => `${c.name} ${c.duckdb}`).join(", ");
  await connection.run(`CREATE TABLE ${ANALYTICS_TABLE} (${defs}, received_month VARCHAR)`);
}
const reader = await connection.runAndReadAll(analyticsSql(values.query as AnalyticsQueryName));
const rows = reader.getRowObjectsJson();
if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
else if (rows.length === 0) process.stdout.write("(no rows)\n");
else console.table(rows);
