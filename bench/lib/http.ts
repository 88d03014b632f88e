import http from "node:http";

export interface HttpResult {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/**
 * A lean HTTP/1.1 JSON client over a keep-alive agent: the benchmarks measure the system, not the
 * client, so this avoids fetch's per-request overhead (it is still a real loopback HTTP round trip).
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(baseUrl: string, maxSockets = 64) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const start = performance.now();
    return new Promise<HttpResult>((resolve, reject) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...headers,
            ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // Not JSON (CSV report, HTML): keep the text.
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              headers: res.headers,
              ms: performance.now() - start,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
