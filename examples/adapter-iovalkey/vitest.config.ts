import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@redis-service/source'] },
  ssr: { resolve: { conditions: ['@redis-service/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
