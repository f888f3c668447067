import { defineConfig } from 'vitest/config';

// End-to-end tests: real headless Chromium (playwright-core, system /usr/bin/chromium)
// against a running `tutti serve` at $TUTTI_BASE_URL. Tests run in one file, in order,
// because later steps build on earlier ones (e.g. the audit entry of the brief edit).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['verbose'],
  },
});
