import type { IncomingMessage, ServerResponse } from "node:http";
import { openApiDocument } from "../../functions/http/openapi";

/**
 * `GET /openapi.json` on the embedded target: the document generated from the route table, listing this
 * very server first so "try it out" in a viewer calls the running stack. Built once, on first request.
 */
let cached: Record<string, unknown> | undefined;

export const serveOpenApi = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
  if (req.method !== "GET" || req.url?.split("?")[0] !== "/openapi.json") return false;
  cached ??= openApiDocument();
  const here = `http://${req.headers.host ?? "127.0.0.1:3000"}`;
  const servers = [
    { url: here, description: "This embedded stack" },
    ...(cached.servers as { url: string }[]).filter((s) => s.url !== here),
  ];
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ ...cached, servers }));
  return true;
};
