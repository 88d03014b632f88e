import { renderWorkflowDefinition } from "./render";

// `npm run asl`: print the definition the embedded engine runs (the same one CDK deploys).
process.stdout.write(`${JSON.stringify(renderWorkflowDefinition(), null, 2)}\n`);
