import { defineConfig } from 'vitest/config';

// One root config; each package and tool is a project so `vitest --project binary` works.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tools/*'],
  },
});
