// Builds the public map (index.html) and the operator console (console.html) into web/dist,
// keeps MapLibre in its own chunk (so the app's own JS can be measured apart from it), makes each language's
// dictionary a small chunk of its own, has the public page's HTML fetch the alert side's modules at once,
// and writes the service worker with the list of built files to precache.
import { defineConfig, type Plugin } from 'vite';
import type { OutputBundle, OutputChunk } from 'rolldown';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

const DICTIONARY = /[\\/]web[\\/]src[\\/]i18n[\\/](en|uk|he|da|ar|ru)\.ts$/;

/**
 * Each dictionary module becomes one JSON literal (its parts' strings in that language only): a page fetches only
 * its resident's language (i18n/index.ts), about 40-60 KB instead of every part in all six. JSON.parse of a string
 * is also quicker for the browser than an object literal this size.
 */
function dictionariesAsJson(): Plugin {
  return {
    name: 'refuge-dictionaries-json',
    apply: 'build',
    async transform(_code, id) {
      const m = DICTIONARY.exec(id);
      if (!m) return null;
      // The dictionaries are plain data: evaluated here (Node, through tsx) exactly as the type checker sees them.
      const { tsImport } = await import('tsx/esm/api');
      const dict = ((await tsImport(pathToFileURL(id).href, import.meta.url)) as { default: Record<string, string> }).default;
      return { code: `export default JSON.parse(${JSON.stringify(JSON.stringify(dict))});\n`, map: null };
    },
  };
}

/**
 * The public page's HTML asks for the alert side (alert-start.ts and what it imports) with the entry, so that the
 * alert screens are there when the entry has opened the stream (without this they would be fetched one round trip
 * later, when the entry runs).
 */
function preloadAlertSide(): Plugin {
  return {
    name: 'refuge-preload-alert-side',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle || !ctx.filename.endsWith('index.html')) return html;
        const bundle = ctx.bundle as OutputBundle;
        const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
        const side = chunks.find((c) => c.facadeModuleId?.endsWith('/public/alert-start.ts'));
        if (!side) throw new Error('vite.config.ts: no chunk for web/src/public/alert-start.ts (the alert side of the public page)');
        const files = new Set<string>();
        const walk = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          for (const dep of (bundle[file] as OutputChunk).imports) walk(dep);
        };
        walk(side.fileName);
        const present = new Set([...html.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1]));
        const tags = [...files].filter((f) => !present.has(f)).map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`);
        return html.replace(/\n\s*<\/head>/, `\n    ${tags.join('\n    ')}\n  </head>`);
      },
    },
  };
}

function serviceWorker(): Plugin {
  let precache: string[] = [];
  return {
    name: 'refuge-service-worker',
    apply: 'build',
    // After Vite's own plugins: they drop the empty JS stub of a chunk that is only CSS (styles.css has one), which
    // must not be in the list (a precache that fetches a missing file fails the whole install).
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'sw.js');
      precache = ['/', ...files.filter((f) => f !== 'index.html').map((f) => '/' + f)];
      const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(resolve(root, 'sw/sw.js'), 'utf8')
        .replace('self.__PRECACHE__', JSON.stringify(precache))
        .replace('self.__VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
    // Every file the service worker will precache must have been written: one missing file fails its install.
    writeBundle(options) {
      const missing = precache.filter((f) => f !== '/' && !existsSync(resolve(options.dir!, f.slice(1))));
      if (missing.length) throw new Error(`sw.js would precache files the build did not write: ${missing.join(', ')}`);
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
  plugins: [dictionariesAsJson(), preloadAlertSide(), serviceWorker(), precompress()],
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
        // No catch-all "shared" chunk: the public page's alert side must not fetch the helpers only the map, the
        // search or the console use. The few small helpers the alert side needs (and the console shares) are one
        // chunk, not six requests of a few hundred bytes; anything else several chunks share is split by importer.
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            // What the public entry imports (Vite's module-preload helper, the language list): kept out of 'base',
            // whose i18n module waits for the dictionary (top-level await) and would hold the entry back until then.
            { name: 'boot', test: /vite[\\/]preload-helper|web[\\/]src[\\/]i18n[\\/]languages\.ts$/, priority: 2 },
            { name: 'base', test: /web[\\/]src[\\/](lib[\\/](dom|api|geo|occupancy)|i18n[\\/]index|public[\\/]data)\.ts$|src[\\/]api[\\/]alerts\.ts$/ },
          ],
        },
      },
    },
  },
});
