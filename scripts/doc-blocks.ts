/**
 * Generated blocks inside hand-written Markdown: `<!-- generated:NAME -->` ... `<!-- /generated:NAME -->`.
 * The prose around them is edited by people; the blocks only by `npm run openapi` / `npm run docs:diagram`.
 */
const markers = (name: string) => [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`] as const;

/** The current content of a block, or undefined when the document has no such block. */
export const readBlock = (text: string, name: string): string | undefined => {
  const [open, close] = markers(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) return undefined;
  return text
    .slice(start + open.length, end)
    .replace(/^\n/, "")
    .replace(/\n$/, "");
};

/** The document with a block's content replaced (the block must exist). */
export const replaceBlock = (text: string, name: string, content: string): string => {
  const [open, close] = markers(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`no block '${name}' (${open} ... ${close})`);
  return `${text.slice(0, start + open.length)}\n${content}\n${text.slice(end)}`;
};

export const OPENAPI_FILE = "docs/openapi.json";
export const API_DOC = "docs/api.md";
export const ARCHITECTURE_DOC = "docs/architecture.md";
