// Which runtime a native addon was built for, read from the binary itself, and whether Electron can load it.
// An addon built with NODE_MODULE / NODE_MODULE_INIT (better-sqlite3 is one) exports the symbol
// `node_register_module_v<NODE_MODULE_VERSION>`; a runtime refuses an addon whose version differs
// from its own ("was compiled against a different Node.js version"). An N-API addon exports
// `napi_register_module_v1` instead and loads in any runtime.

const NODE_SYMBOL = 'node_register_module_v';
const NAPI_SYMBOL = 'napi_register_module_v';

/**
 * The module ABIs named in the binary (usually one), and whether it is an N-API addon.
 * @param {Uint8Array} bytes the .node file
 * @returns {{ abis: number[], napi: boolean }}
 */
export function moduleAbiOf(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const abis = new Set();
  for (let at = buf.indexOf(NODE_SYMBOL); at !== -1; at = buf.indexOf(NODE_SYMBOL, at + 1)) {
    let end = at + NODE_SYMBOL.length;
    while (end < buf.length && buf[end] >= 0x30 && buf[end] <= 0x39) end++;
    if (end > at + NODE_SYMBOL.length) abis.add(Number(buf.toString('latin1', at + NODE_SYMBOL.length, end)));
  }
  return { abis: [...abis].sort((a, b) => a - b), napi: buf.includes(NAPI_SYMBOL) };
}

/**
 * Null when Electron can load the addon; otherwise the message that says why not and what to do.
 * @param {{ file: string, bytes: Uint8Array, electronVersion: string, electronAbi: number, nodeVersion: string, nodeAbi: number, nodedir?: string | null }} p
 * @returns {string | null}
 */
export function electronAbiProblem(p) {
  const { abis, napi } = moduleAbiOf(p.bytes);
  if (abis.length === 0) {
    if (napi) return null;
    return `${p.file} names no module ABI (no ${NODE_SYMBOL}<N> symbol): it is not a Node addon this check can read. Delete it and run the build again.`;
  }
  if (abis.length === 1 && abis[0] === p.electronAbi) return null;
  const built = abis.join(', ');
  const nodeNote = abis.includes(p.nodeAbi) ? ` (that is Node ${p.nodeVersion}'s ABI, not Electron's)` : '';
  const cause = p.nodedir
    ? `npm's config sets nodedir=${p.nodedir}, so node-gyp compiled against those Node headers instead of Electron's. Run it again without it: \`npm config delete nodedir\` (or \`npm_config_nodedir= npm start\`), with network access to Electron's headers.`
    : `node-gyp compiled against the wrong headers. Delete build/electron-native and run it again with network access to Electron's headers.`;
  return `${p.file} was built for module ABI ${built}${nodeNote}, but Electron ${p.electronVersion} needs ABI ${p.electronAbi}; Electron would refuse to load it ("compiled against a different Node.js version"). ${cause}`;
}
