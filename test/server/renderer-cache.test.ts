import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendererCacheControl } from '../../electron/server/app';
import { makeNetwork, tempDir } from '../support/core';
import { rawRequest, startServer, type Running } from './support';

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

describe("the renderer's files on a ward tablet (issue 17)", () => {
  it('keeps a hashed chunk for a year and checks index.html on every load', () => {
    expect(rendererCacheControl('assets/ReportsScreen-KgRXrQqF.js')).toBe('public, max-age=31536000, immutable');
    expect(rendererCacheControl('assets/grid-chart.module-Cwdu3gRQ.js')).toBe('public, max-age=31536000, immutable');
    expect(rendererCacheControl('assets/index-a2oN1Eve.css')).toBe('public, max-age=31536000, immutable');
    expect(rendererCacheControl('index.html')).toBe('no-cache');
    expect(rendererCacheControl('assets/ReportsScreen-KgRXrQqF.js.map')).toBe('no-cache');
    expect(rendererCacheControl('favicon.ico')).toBe('no-cache');
  });

  it('serves a lazily loaded chunk with its cache header, beside index.html revalidated by its ETag', async () => {
    const dir = tempDir('echelon-renderer-');
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="./assets/index-AbCd12_-.js"></script>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-AbCd12_-.js'), 'import("./ReportsScreen-Zz9Yy8Xx.js");');
    fs.writeFileSync(path.join(dir, 'assets', 'ReportsScreen-Zz9Yy8Xx.js'), 'export const r = 1;');
    const run = await startServer(makeNetwork(), { rendererDir: dir });
    running.push(run);

    const page = await rawRequest(run.url, '/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers.etag).toBeDefined();
    const again = await rawRequest(run.url, '/', { method: 'GET', headers: { 'if-none-match': String(page.headers.etag) } });
    expect(again.status).toBe(304);

    const chunk = await rawRequest(run.url, '/assets/ReportsScreen-Zz9Yy8Xx.js', { method: 'GET' });
    expect(chunk.status).toBe(200);
    expect(String(chunk.body)).toBe('export const r = 1;');
    expect(chunk.headers['content-type']).toMatch(/javascript/);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers['x-content-type-options']).toBe('nosniff');
  });
});
