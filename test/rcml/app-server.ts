import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly form: URLSearchParams;
  readonly contentType: string | undefined;
}

export type Route = (req: SeenRequest, res: ServerResponse) => void;

/** A real HTTP app on 127.0.0.1:0 that records every request and answers by path. */
export class AppServer {
  readonly seen: SeenRequest[] = [];
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();
  readonly aborted: string[] = [];

  private constructor(private readonly routes: Record<string, Route>) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(routes: Record<string, Route>): Promise<AppServer> {
    const app = new AppServer(routes);
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    return app;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        contentType: req.headers['content-type'],
      };
      this.seen.push(seen);
      this.open.add(res);
      res.on('close', () => {
        this.open.delete(res);
        if (!res.writableEnded) this.aborted.push(seen.path);
      });
      const route = this.routes[url.pathname];
      if (route) route(seen, res);
      else res.writeHead(404).end('nope');
    });
  }

  /** Requests to `path`, in order. */
  to(path: string): SeenRequest[] {
    return this.seen.filter((s) => s.path === path);
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

export const xml = (body: string): Route => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
};

/** Never answers; the connection stays open until the client gives up or the server closes. */
export const hang: Route = () => undefined;
