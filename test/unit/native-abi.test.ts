import { describe, expect, it } from 'vitest';
import { electronAbiProblem, moduleAbiOf } from '../../resources/scripts/native-abi.mjs';

/** A few bytes of an ELF addon around its exported symbols, as `strings` would find them. */
const binary = (...symbols: string[]) =>
  new Uint8Array(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), ...symbols.map((s) => Buffer.from(`${s}\0`, 'latin1')), Buffer.alloc(16)]));
const ELECTRON = { file: 'build/electron-native/better_sqlite3.node', electronVersion: '45.5.0', electronAbi: 150, nodeVersion: 'v20.20.2', nodeAbi: 115 };

describe('the module ABI of a native addon, read from its binary', () => {
  it('reads NODE_MODULE_VERSION from the node_register_module_v<ABI> symbol', () => {
    expect(moduleAbiOf(binary('sqlite3_open', 'node_register_module_v150', 'napi_create_function'))).toEqual({ abis: [150], napi: false });
  });

  it('finds it at the very end of the file too, and reports each distinct ABI once', () => {
    const bytes = new Uint8Array(Buffer.from('xx node_register_module_v115 yy node_register_module_v115 node_register_module_v1', 'latin1'));
    expect(moduleAbiOf(bytes).abis).toEqual([1, 115]);
    expect(moduleAbiOf(new Uint8Array(Buffer.from('node_register_module_v', 'latin1'))).abis).toEqual([]);
  });

  it('knows an N-API addon, which any runtime loads', () => {
    expect(moduleAbiOf(binary('napi_register_module_v1'))).toEqual({ abis: [], napi: true });
    expect(electronAbiProblem({ ...ELECTRON, bytes: binary('napi_register_module_v1') })).toBeNull();
  });
});

describe('whether Electron can load the driver built for it', () => {
  it('accepts a build for Electron 45 (ABI 150)', () => {
    expect(electronAbiProblem({ ...ELECTRON, bytes: binary('node_register_module_v150'), nodedir: '/usr' })).toBeNull();
  });

  it("refuses a build against Node 20's headers, naming both ABIs and npm's nodedir as the cause", () => {
    const problem = electronAbiProblem({ ...ELECTRON, bytes: binary('node_register_module_v115'), nodedir: '/usr' });
    expect(problem).toContain('module ABI 115');
    expect(problem).toContain("Node v20.20.2's ABI");
    expect(problem).toContain('Electron 45.5.0 needs ABI 150');
    expect(problem).toContain('nodedir=/usr');
    expect(problem).toContain('npm config delete nodedir');
  });

  it('refuses a build for another Electron without blaming nodedir when it is not set', () => {
    const problem = electronAbiProblem({ ...ELECTRON, bytes: binary('node_register_module_v149'), nodedir: null });
    expect(problem).toContain('module ABI 149, but Electron 45.5.0 needs ABI 150');
    expect(problem).not.toContain('nodedir');
  });

  it('refuses a file that names no ABI at all (not an addon, or a truncated one)', () => {
    expect(electronAbiProblem({ ...ELECTRON, bytes: binary('hello') })).toContain('names no module ABI');
  });
});
