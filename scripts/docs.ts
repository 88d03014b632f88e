import { readFileSync, writeFileSync } from "node:fs";
import { errorCodeTable, renderOpenApi } from "../functions/http/openapi";
import { toMermaid } from "../workflows/mermaid";
import { renderWorkflowDefinition } from "../workflows/render";
import { API_DOC, ARCHITECTURE_DOC, OPENAPI_FILE, replaceBlock } from "./doc-blocks";

// The generated parts of docs/: `npm run openapi` writes docs/openapi.json and the error table of
// docs/api.md; `npm run docs:diagram` the state machine diagram of docs/architecture.md. Tests
// regenerate and compare, so a stale file fails `npm test`.
const update = (file: string, block: string, content: string) =>
  writeFileSync(file, replaceBlock(readFileSync(file, "utf8"), block, content));

const what = process.argv[2];
if (what === "openapi") {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  update(API_DOC, "error-codes", errorCodeTable());
  process.stdout.write(`wrote ${OPENAPI_FILE} and the error-code table of ${API_DOC}\n`);
} else if (what === "diagram") {
  update(
    ARCHITECTURE_DOC,
    "state-machine",
    `\`\`\`mermaid\n${toMermaid(renderWorkflowDefinition())}\n\`\`\``,
  );
  process.stdout.write(`wrote the state machine diagram of ${ARCHITECTURE_DOC}\n`);
} else {
  process.stderr.write("usage: tsx scripts/docs.ts openapi|diagram\n");
  process.exit(2);
}
