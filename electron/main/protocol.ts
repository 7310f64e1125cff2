import fs from 'node:fs';
import { protocol } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, rendererFileFor } from './window';

/** Before `app.ready`: app:// is a standard, secure scheme, so the renderer has a real origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from `root` on app://echelon, with the strict CSP on every response. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const hit = request.method === 'GET' || request.method === 'HEAD' ? rendererFileFor(request.url, root) : null;
    if (!hit) return new Response('not found', { status: 404 });
    try {
      const body = await fs.promises.readFile(hit.file);
      return new Response(request.method === 'HEAD' ? null : body, {
        headers: { 'Content-Type': hit.contentType, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Response('not found', { status: 404 });
      throw err;
    }
  });
}
