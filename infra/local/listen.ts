import type { Server } from "node:http";

/** A local server listening on loopback: its base URL and a close that also drops keep-alive sockets. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Starts `server` on host:port (0 = any free port) and resolves once it accepts connections. */
export const listen = async (server: Server, port: number, host = "127.0.0.1"): Promise<Listening> => {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
