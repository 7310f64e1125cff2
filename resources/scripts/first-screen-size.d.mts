export interface FirstScreenFile {
  file: string;
  bytes: number;
  gzip: number;
}
export interface FirstScreenResult {
  files: FirstScreenFile[];
  bytes: number;
  gzip: number;
}
export const FIRST_SCREEN_LIMIT: number;
export function entryScripts(html: string): string[];
export function staticImports(code: string): string[];
export function firstScreenJavaScript(dir: string): FirstScreenResult;
export function describe(result: FirstScreenResult, limit?: number): string;
