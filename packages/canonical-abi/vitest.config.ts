import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'canonical-abi', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
