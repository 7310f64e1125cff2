export function moduleAbiOf(bytes: Uint8Array): { abis: number[]; napi: boolean };
export function electronAbiProblem(p: {
  file: string;
  bytes: Uint8Array;
  electronVersion: string;
  electronAbi: number;
  nodeVersion: string;
  nodeAbi: number;
  nodedir?: string | null;
}): string | null;
