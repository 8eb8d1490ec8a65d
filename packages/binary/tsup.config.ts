import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/webassemblyjs.ts'],
  external: ['@webassemblyjs/wasm-parser'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
