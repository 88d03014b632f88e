import { connect } from "node:net";

/** An answer read off the wire: status, headers (names lower-case), the body (chunked framing removed). */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting to the whole answer. */
  ms: number;
}

/** A chunked body's content. */
const unchunk = (framed: Buffer): Buffer => {
  const out: Buffer[] = [];
  let rest = framed;
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.subarray(0, line).toString(), 16);
    if (!size) return Buffer.concat(out);
    out.push(rest.subarray(line + 2, line + 2 + size));
    rest = rest.subarray(line + 2 + size + 2);
  }
};

/**
 * Sends bytes exactly as given over a socket (headers no client library would send: repeated, named
 * `__proto__`, a Content-Length with no body) and resolves with the first complete answer.
 * `andThen` is written after the request, without waiting (a body the server may refuse before it arrives).
 */
export const rawHttp = (
  url: string,
  request: string | Buffer,
  opts: { andThen?: Buffer } = {},
): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let data = Buffer.alloc(0);
    let done = false;
    socket.on("connect", () => {
      socket.write(request);
      if (opts.andThen) socket.write(opts.andThen, () => undefined);
    });
    socket.on("data", (c: Buffer) => {
      data = Buffer.concat([data, c]);
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [statusLine, ...lines] = data.subarray(0, end).toString("latin1").split("\r\n");
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
      );
      let body: Buffer = data.subarray(end + 4);
      if (headers["transfer-encoding"] === "chunked") {
        if (!body.includes("\r\n0\r\n\r\n") && !body.subarray(0, 5).equals(Buffer.from("0\r\n\r\n"))) return;
        body = unchunk(body);
      } else if (body.length < Number(headers["content-length"] ?? 0)) return;
      done = true;
      socket.destroy();
      resolve({
        status: Number(statusLine?.split(" ")[1]),
        headers,
        body: body.toString("utf8"),
        ms: Date.now() - started,
      });
    });
    socket.on("error", (e) => (done ? undefined : reject(e)));
    socket.on("close", () => (done ? undefined : reject(new Error(`closed without an answer: ${data}`))));
  });

/** A request's head: the request line, then each [name, value] as given (repeats and all). */
export const head = (method: string, path: string, headers: [string, string][]) =>
  `${method} ${path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
