import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'binary', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
