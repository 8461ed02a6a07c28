import { defineConfig } from 'vitest/config';

// `npm run drills`: every drill of test/drills, the slow ones (*.drill.ts) included, at full length.
export default defineConfig({
  test: {
    include: ['test/drills/**/*.test.ts', 'test/drills/**/*.drill.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { DRILL_OUTAGE_MS: '30000' },
  },
});
