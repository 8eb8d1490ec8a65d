import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Test against the sibling package's sources, so the tests do not need a build of it first.
    alias: { '@wasm-components/binary': fileURLToPath(new URL('../binary/src/index.ts', import.meta.url)) },
  },
  test: { name: 'targets', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
