// The few Web APIs this browser-neutral package uses. They exist in every
// supported engine (Node >= 20, browsers, Deno, Bun); declared here so the
// package need not pull in DOM or Node typings.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
