// The web app's build (scripts/build-web.mjs runs it into web/dist). The page must run under the
// server's Content-Security-Policy (script-src 'self', no inline script or style element): Vite's
// module-preload polyfill, which would be inlined, is off (every browser the app supports preloads
// modules natively), and CSS goes to files. Each screen is its own chunk (React.lazy in app.tsx).
// `npm run dev:web` serves it with hot reload on :5173, calling the API of a server on :8080.
import { defineConfig } from 'vite';

const API = process.env.CORKBOARD_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    // Gestalt's stylesheet keeps a few CSS-modules `:import()` rules, which Lightning CSS warns about on
    // every build; esbuild minifies them quietly to the same effect.
    cssMinify: 'esbuild',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/graphql', '/auth', '/v5', '/media'].map((prefix) => [prefix, { target: API, changeOrigin: false }])),
  },
});
