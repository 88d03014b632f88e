/**
 * Draws an Amazon States Language definition as a Mermaid state diagram, so the architecture document
 * shows the rendered definition itself (`npm run docs:diagram`), never a hand-drawn copy.
 */

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Resource?: string;
  Choices?: Record<string, unknown>[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}

interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** Mermaid labels may not hold `:` `;` `#` or quotes. */
const label = (s: string) => s.replace(/[:;#"]/g, " ").trim();

const describeChoice = (choice: Record<string, unknown>): string => {
  const variable = String(choice.Variable ?? "").replace(/^\$\./, "");
  const [op, value] =
    Object.entries(choice).find(([k]) => k !== "Variable" && k !== "Next") ?? (["", ""] as const);
  const verb = /Equals$/.test(op) ? "is" : op;
  return label(`${variable} ${verb} ${typeof value === "string" ? value : JSON.stringify(value)}`);
};

/** The Mermaid `stateDiagram-v2` source of a definition (top-level states; states read as sentences). */
export const toMermaid = (definition: Record<string, unknown>): string => {
  const asl = definition as unknown as AslDefinition;
  const names = Object.keys(asl.States);
  const id = (name: string) => `s${names.indexOf(name)}`;
  const lines = ["stateDiagram-v2", "  direction TB"];
  for (const name of names) {
    const state = asl.States[name] as AslState;
    const callback = state.Resource?.endsWith(".waitForTaskToken") ? " (task token)" : "";
    lines.push(`  state "${label(name)}${callback}" as ${id(name)}`);
    if (state.Type === "Choice") lines.push(`  state ${id(name)}_choice <<choice>>`);
  }
  lines.push(`  [*] --> ${id(asl.StartAt)}`);
  for (const name of names) {
    const state = asl.States[name] as AslState;
    const from = id(name);
    if (state.Type === "Choice") {
      lines.push(`  ${from} --> ${from}_choice`);
      for (const choice of state.Choices ?? []) {
        lines.push(`  ${from}_choice --> ${id(String(choice.Next))} : ${describeChoice(choice)}`);
      }
      if (state.Default) lines.push(`  ${from}_choice --> ${id(state.Default)} : otherwise`);
      continue;
    }
    if (state.Next) lines.push(`  ${from} --> ${id(state.Next)}`);
    for (const c of state.Catch ?? []) {
      lines.push(`  ${from} --> ${id(c.Next)} : ${label(c.ErrorEquals.join(" or "))}`);
    }
    if (state.End || state.Type === "Succeed" || state.Type === "Fail") lines.push(`  ${from} --> [*]`);
  }
  return lines.join("\n");
};
