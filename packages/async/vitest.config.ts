import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Tests run against the sources of the sibling packages, so no build is needed first.
export default defineProject({
  resolve: {
    alias: {
      '@wasm-components/canonical-abi': fileURLToPath(new URL('../canonical-abi/src/index.ts', import.meta.url)),
    },
  },
  test: { name: 'async', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
