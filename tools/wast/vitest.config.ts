import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'wast', include: ['src/**/*.test.ts'] },
});
