/** The JSON log lines (Powertools writes to stdout, errors to stderr) written while `fn` runs. */
export const captureLogs = async <T>(fn: () => Promise<T>): Promise<{ result: T; lines: LogLine[] }> => {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const keep = (chunk: unknown) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  try {
    const result = await fn();
    return { result, lines: parse(chunks) };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
};

export type LogLine = Record<string, unknown>;

const parse = (chunks: string[]): LogLine[] =>
  chunks
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });
