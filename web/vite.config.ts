import { defineConfig } from 'vite';

// The production build lands in web/dist, which `tutti serve --web-root web/dist` serves at `/`.
// During `npm run dev`, API calls are proxied to a locally running `tutti serve`
// (override with TUTTI_DEV_API, default http://127.0.0.1:18080).
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': process.env.TUTTI_DEV_API ?? 'http://127.0.0.1:18080',
    },
  },
});
