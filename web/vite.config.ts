// Builds the public map (index.html) and the operator console (console.html) into web/dist,
// keeps MapLibre in its own chunk (so the app's own JS can be measured apart from it),
// and writes the service worker with the list of built files to precache.
import { defineConfig, type Plugin } from 'vite';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

function serviceWorker(): Plugin {
  return {
    name: 'refuge-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'sw.js');
      const precache = ['/', ...files.filter((f) => f !== 'index.html').map((f) => '/' + f)];
      const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(resolve(root, 'sw/sw.js'), 'utf8')
        .replace('self.__PRECACHE__', JSON.stringify(precache))
        .replace('self.__VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

/** Writes .br and .gz beside every text file of the build, so the server sends them without compressing per request. */
function precompress(): Plugin {
  return {
    name: 'refuge-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(m?js|css|html|json|svg|webmanifest)$/.test(name)) continue;
        const file = resolve(options.dir!, name);
        const raw = readFileSync(file);
        if (raw.length < 1024) continue;
        writeFileSync(file + '.br', brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        writeFileSync(file + '.gz', gzipSync(raw, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: resolve(root, 'public'),
  logLevel: 'warn',
  plugins: [serviceWorker(), precompress()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Every browser the app targets (ES2022) has modulepreload: no polyfill chunk to fetch.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: { index: resolve(root, 'index.html'), console: resolve(root, 'console.html') },
      output: {
        // What both pages share (i18n, API client, helpers) goes in one chunk named for what it is.
        codeSplitting: { groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ }, { name: 'shared', test: /web[\\/]src[\\/](lib|i18n)[\\/]|styles\.css/ }] },
      },
    },
  },
});
