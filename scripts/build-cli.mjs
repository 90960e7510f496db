/**
 * `npm run build:cli`: the CLI as one file a plain Node 20 runs, with no dev dependencies.
 *
 *   dist-cli/headroom.mjs                          the CLI, its TypeScript and libraries bundled (esbuild)
 *   dist-cli/vendor/webgpu/                        Dawn's native module for this platform (a .node
 *                                                  file cannot be bundled), with its small loader
 *   dist-cli/vendor/onnxruntime-web/               onnxruntime-web's WebGPU build and its wasm, which
 *                                                  it loads from beside itself
 *
 * The bundle imports the two vendored packages by relative path, so the folder runs wherever it
 * is copied: `node dist-cli/headroom.mjs profile ...`. `npm pack` packs this folder with
 * bin/headroom.mjs (package.json "files"), and bin/headroom.mjs runs it when there are no sources.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist-cli');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const platformDir = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;

/** Files copied beside the bundle: [from under node_modules, to under dist-cli/vendor]. */
const VENDORED = [
  ['webgpu/index.js', 'webgpu/index.js'],
  ['webgpu/package.json', 'webgpu/package.json'],
  ['webgpu/LICENSE.md', 'webgpu/LICENSE.md'],
  [`webgpu/dist/${platformDir}/dawn.node`, `webgpu/dist/${platformDir}/dawn.node`],
  ['onnxruntime-web/dist/ort.webgpu.bundle.min.mjs', 'onnxruntime-web/ort.webgpu.bundle.min.mjs'],
  [
    'onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm',
    'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm',
  ],
  [
    'onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs',
    'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs',
  ],
  ['onnxruntime-web/package.json', 'onnxruntime-web/package.json'],
];

/** The two packages that stay files of their own, imported from vendor/ by relative path. */
const vendorImports = {
  name: 'vendor-imports',
  setup(b) {
    b.onResolve({ filter: /^webgpu$/ }, () => ({ path: './vendor/webgpu/index.js', external: true }));
    b.onResolve({ filter: /^onnxruntime-web\/webgpu$/ }, () => ({
      path: './vendor/onnxruntime-web/ort.webgpu.bundle.min.mjs',
      external: true,
    }));
  },
};

fs.rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: [path.join(root, 'src/cli/standalone.ts')],
  outfile: path.join(out, 'headroom.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  legalComments: 'linked',
  metafile: true,
  define: { __HEADROOM_VERSION__: JSON.stringify(pkg.version) },
  // commander and other CommonJS libraries call require(); an ES module has none of its own.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __headroomRequire } from 'node:module';\nconst require = __headroomRequire(import.meta.url);",
  },
  plugins: [vendorImports],
  logLevel: 'warning',
});
for (const [from, to] of VENDORED) {
  const dest = path.join(out, 'vendor', to);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules', from), dest);
}
fs.chmodSync(path.join(out, 'headroom.mjs'), 0o755);

const size = (f) => fs.statSync(path.join(out, f)).size;
const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
console.error(
  `dist-cli/headroom.mjs ${mb(size('headroom.mjs'))} (${Object.keys(result.metafile.inputs).length} modules)`,
);
for (const [, to] of VENDORED) console.error(`dist-cli/vendor/${to} ${mb(size(path.join('vendor', to)))}`);
