import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Headers that make the page cross-origin isolated, so ORT's threaded wasm may use SharedArrayBuffer. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The onnxruntime-web runtime files the app loads at run time, served under /ort/ (never from a CDN). */
export const ORT_ASSETS = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

const ortDist = dirname(
  createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm'),
);

/** Serves ORT's wasm and loader from node_modules in dev and emits them into dist/ort/ on build. */
function ortAssets(): Plugin {
  return {
    name: 'headroom-ort-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.replace(/^\/ort\//, '');
        if (!req.url?.startsWith('/ort/') || !name || !ORT_ASSETS.includes(name)) return next();
        const file = join(ortDist, name);
        res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.setHeader('Content-Length', statSync(file).size);
        for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const name of ORT_ASSETS) {
        this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(join(ortDist, name)) });
      }
    },
  };
}

/**
 * Writes dist/bundle-modules.json: for each page, the source modules its initial load executes (the
 * entry chunk and the chunks it imports statically), so a test can check that the page loads no
 * engine code it does not call (e2e/bundle.spec.ts).
 */
function bundleModules(): Plugin {
  return {
    name: 'headroom-bundle-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
      );
      const initial: Record<string, string[]> = {};
      for (const chunk of chunks.values()) {
        if (!chunk.isEntry) continue;
        const seen = new Set<string>();
        const visit = (file: string) => {
          if (seen.has(file)) return;
          seen.add(file);
          chunks.get(file)?.imports.forEach(visit);
        };
        visit(chunk.fileName);
        const modules = [...seen].flatMap((f) => chunks.get(f)?.moduleIds ?? []);
        initial[chunk.name] = modules.map((id) => relative(root, id).split(sep).join('/')).sort();
      }
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-modules.json',
        source: JSON.stringify(initial, null, 1),
      });
    },
  };
}

/** Pages to build: the app and the runtime e2e harness (e2e tests run against the production build). */
const root = fileURLToPath(new URL('.', import.meta.url));
const pages = Object.fromEntries(
  [
    ['main', 'index.html'],
    ['harness', 'e2e-harness.html'],
  ]
    .map(([name, file]) => [name, resolve(root, file!)])
    .filter(([, file]) => existsSync(file!)),
);

export default defineConfig({
  plugins: [react(), ortAssets(), bundleModules()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // ORT's "extern wasm" builds load the .wasm from /ort/ instead of bundling a second 27 MB copy.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm'] },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { chunkSizeWarningLimit: 2000, rolldownOptions: { input: pages } },
});
