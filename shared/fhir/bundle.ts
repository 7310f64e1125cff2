/** The FHIR R4 resources Echelon writes, and the assembly of a Bundle (type collection) from pages. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
}

export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  meta: { lastUpdated: string };
  type: 'collection';
  timestamp: string;
  entry: BundleEntry[];
}

/** The bundle's opening text (everything up to the entry array); pages of entries follow, then BUNDLE_TAIL. */
export function bundleHead(id: string, timestamp: string): string {
  const head = JSON.stringify({ resourceType: 'Bundle', id, meta: { lastUpdated: timestamp }, type: 'collection', timestamp, entry: [] });
  return head.slice(0, -2);
}
export const BUNDLE_TAIL = ']}';

/**
 * Joins pages of entries into one bundle without holding it as one object: each page is turned into
 * JSON text at once (the renderer hands it to a Blob). Resources shared by pages — the facility, ward
 * and bed Locations — are written once, the first time they appear.
 */
export class BundleWriter {
  private readonly seen = new Set<string>();
  private written = 0;
  readonly counts: Record<string, number> = {};

  /** The JSON text of the page's new entries, with the comma that joins it to what came before ('' if none). */
  page(entries: readonly BundleEntry[]): string {
    const parts: string[] = [];
    for (const e of entries) {
      if (this.seen.has(e.fullUrl)) continue;
      this.seen.add(e.fullUrl);
      this.counts[e.resource.resourceType] = (this.counts[e.resource.resourceType] ?? 0) + 1;
      parts.push(JSON.stringify(e));
    }
    if (parts.length === 0) return '';
    const text = (this.written > 0 ? ',' : '') + parts.join(',');
    this.written += parts.length;
    return text;
  }
}

/** The whole bundle as text, from pages (tests, and small exports). */
export function writeBundle(id: string, timestamp: string, pages: readonly (readonly BundleEntry[])[]): { text: string; counts: Record<string, number> } {
  const w = new BundleWriter();
  const body = pages.map((p) => w.page(p)).join('');
  return { text: bundleHead(id, timestamp) + body + BUNDLE_TAIL, counts: w.counts };
}
