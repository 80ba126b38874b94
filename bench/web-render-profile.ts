// Where the first render's time goes: navigation, script, map load, data, drawn. One run per config.
//   node --import tsx bench/web-render-profile.ts [runs]
import { startApp, launchBrowser, ensureWebBuilt } from '../test/e2e/harness.ts';

const runs = Number(process.argv[2] ?? 2);
await ensureWebBuilt();
const app = await startApp(undefined, { shelters: true });
const reg = app.server.ctx.registry;
for (let i = reg.all().length; i < 5000; i++) await reg.create({ name: `Generated shelter ${i}`, lat: 55.64 + ((i * 7919) % 5000) / 5000 * 0.06, lon: 12.52 + ((i * 104729) % 5000) / 5000 * 0.1, capacity: 20 + (i % 300), status: 'open' }, 'bench');
for (let r = 0; r < runs; r++) {
  const browser = await launchBrowser({ viewport: { width: 412, height: 860 } });
  const page = await browser.context.newPage();
  await page.goto(`${app.url}/?nosw`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  const out = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const marks = performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]);
    const res = performance.getEntriesByType('resource').map((e) => { const r = e as PerformanceResourceTiming; return [r.name.replace(location.origin, ''), Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize]; });
    return { nav: { responseEnd: Math.round(nav.responseEnd), dcl: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd) }, marks, res };
  });
  console.log(JSON.stringify(out, null, 1));
  await browser.close();
}
await app.close();
