import type { IncomingMessage, ServerResponse } from "node:http";
import { buildConsole, type ConsoleFile } from "../../console/build";
import { type LocalRequest, send, sendError } from "./gateway";

/**
 * The staff workbench on the embedded target: built in memory when the stack starts and served at
 * `/console/` (same origin as the API, so it calls the API with the user's token and nothing else).
 * Assets under `/console/assets/`; every other path under `/console/` is the app's page (it routes itself).
 * The CSP is as strict as the CloudFront one on AWS: scripts and styles from this origin only.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const CONSOLE_HEADERS = {
  "Content-Security-Policy": CONSOLE_CSP,
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
};

/** Builds the console and answers the gateway's `extra` hook for `/console` paths. */
export const localConsole = async () => {
  const files: Map<string, ConsoleFile> = await buildConsole();
  return async (req: IncomingMessage, res: ServerResponse, local: LocalRequest): Promise<boolean> => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    if (path !== "/console" && !path.startsWith("/console/")) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendError(res, local, 405, "METHOD_NOT_ALLOWED", "Method not allowed", { Allow: "GET" });
      return true;
    }
    if (path === "/console") {
      send(res, 308, "", { Location: "/console/" });
      return true;
    }
    const asset = path.startsWith("/console/assets/") ? files.get(path.slice("/console/".length)) : undefined;
    if (path.startsWith("/console/assets/") && !asset) {
      sendError(res, local, 404, "ROUTE_NOT_FOUND", "No such file");
      return true;
    }
    const file = asset ?? (files.get("index.html") as ConsoleFile);
    res.writeHead(200, {
      ...CONSOLE_HEADERS,
      "Content-Type": file.contentType,
      "Cache-Control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : Buffer.from(file.body));
    return true;
  };
};
