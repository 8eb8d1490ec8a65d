import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineProject({
  resolve: {
    // Run on the sibling packages' sources, so the suite needs no build first.
    alias: {
      '@wasm-components/binary': src('../../packages/binary/src/index.ts'),
      '@wasm-components/wast': src('../wast/src/index.ts'),
      '@wasm-components/runtime': src('../../packages/runtime/src/index.ts'),
      '@wasm-components/canonical-abi': src('../../packages/canonical-abi/src/index.ts'),
      '@wasm-components/async': src('../../packages/async/src/index.ts'),
    },
  },
  test: {
    name: 'conformance',
    include: ['test/**/*.test.ts'],
    // Hundreds of wasm-tools parses per file; generous, but a hang still fails.
    testTimeout: 60_000,
  },
});
