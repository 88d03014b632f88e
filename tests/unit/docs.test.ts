import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARCHITECTURE_DOC, readBlock, replaceBlock } from "../../scripts/doc-blocks";
import { toMermaid } from "../../workflows/mermaid";
import { renderWorkflowDefinition } from "../../workflows/render";

describe("the Mermaid drawing of a definition", () => {
  const definition = {
    StartAt: "Do it",
    States: {
      "Do it": {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Next: "Done?",
        Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Give up" }],
      },
      "Done?": {
        Type: "Choice",
        Choices: [{ Variable: "$.next", StringEquals: "finish", Next: "Finished" }],
        Default: "Give up",
      },
      Finished: { Type: "Succeed" },
      "Give up": { Type: "Fail" },
    },
  };

  it("names states by their sentences, marks callbacks, and draws every transition", () => {
    expect(toMermaid(definition).split("\n")).toEqual([
      "stateDiagram-v2",
      "  direction TB",
      '  state "Do it (task token)" as s0',
      '  state "Done?" as s1',
      "  state s1_choice <<choice>>",
      '  state "Finished" as s2',
      '  state "Give up" as s3',
      "  [*] --> s0",
      "  s0 --> s1",
      "  s0 --> s3 : States.Timeout",
      "  s1 --> s1_choice",
      "  s1_choice --> s2 : next is finish",
      "  s1_choice --> s3 : otherwise",
      "  s2 --> [*]",
      "  s3 --> [*]",
    ]);
  });
});

describe("docs/architecture.md", () => {
  it("shows the state machine as rendered from the construct (run `npm run docs:diagram`)", () => {
    const block = readBlock(readFileSync(ARCHITECTURE_DOC, "utf8"), "state-machine");
    expect(block).toBe(`\`\`\`mermaid\n${toMermaid(renderWorkflowDefinition())}\n\`\`\``);
  });
});

describe("generated blocks", () => {
  it("replace only what lies between their markers", () => {
    const text = "a\n<!-- generated:x -->\nold\n<!-- /generated:x -->\nb\n";
    const next = replaceBlock(text, "x", "new\nlines");
    expect(next).toBe("a\n<!-- generated:x -->\nnew\nlines\n<!-- /generated:x -->\nb\n");
    expect(readBlock(next, "x")).toBe("new\nlines");
    expect(() => replaceBlock(text, "y", "z")).toThrow(/no block 'y'/);
  });
});
