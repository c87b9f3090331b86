// npm run test:faults — the fault suite (test/faults/*.fault.ts), separate from `npm test`: it runs
// processes under load for about two and a half minutes. One file, scenarios in sequence.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
