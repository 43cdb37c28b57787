// Helpers shared by the browser tests of issue 11 (first contact): Chromium through
// playwright-core, a page that records every console error, the app's waits, the
// accessibility check (axe-core) and screenshots at 1400 and 390 px.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = join(ROOT, 'test-output');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const TIMEOUT = 30_000;
mkdirSync(OUT, { recursive: true });

export const step = (what) => console.log(`- ${what}`);
export const figure = (name, value) => console.log(`  ${name}: ${value}`);

/// Runs `body({ browser, url, open, problems })` against dist/, then fails on any failed
/// check or any console error.
export async function run(name, body) {
  const server = await serve(process.env.DIST || join(ROOT, 'dist'), 0);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems = [];
  // A page of a new context (or of `context`), at `address`, once its first result is drawn.
  async function open({ context, address = url, width = 1400, height = 1000 } = {}) {
    const ctx = context ?? (await browser.newContext({
      viewport: { width, height }, acceptDownloads: true, locale: 'en-US',
    }));
    const page = await ctx.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(address);
    await page.waitForSelector('body[data-ready=true]');
    await idle(page);
    return page;
  }
  let failed = false;
  try {
    await body({ browser, url, open, problems });
    step('no errors in the browser console');
    assert.deepEqual(problems, [], problems.join('\n'));
  } catch (e) {
    failed = true;
    console.error(e);
    if (problems.length) console.error(problems.join('\n'));
  } finally {
    await browser.close();
    server.close();
  }
  if (failed) {
    console.error(`e2e ${name}: FAILED`);
    process.exit(1);
  }
  console.log(`e2e ${name}: all checks passed`);
}

export const idle = (page) =>
  page.waitForFunction(() => document.querySelector('.run-status')?.dataset.phase === 'idle');

/// Waits for the result of `title` to be shown and the run to be over.
export const shows = (page, title) =>
  page.waitForFunction(
    (t) => document.querySelector('.run-status')?.dataset.phase === 'idle'
      && document.querySelector('.result-title')?.textContent.includes(t)
      && !document.querySelector('.stale-note.shown'),
    title,
  );

export const editorText = (page) => page.locator('#scenario-text').inputValue();

/// Puts text into the editor as a paste would (one input event), then waits for it to run.
export async function paste(page, text) {
  await page.evaluate((t) => {
    const area = document.querySelector('#scenario-text');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await page.waitForFunction(() => !document.querySelector('.stale-note.shown')
    && document.querySelector('.run-status')?.dataset.phase === 'idle'
    && document.querySelector('.editor-status')?.textContent.startsWith('Valid'));
}

export async function loadExample(page, file, title) {
  await page.click(`.gallery button[data-file="${file}"]`);
  await shows(page, title);
}

export async function goTo(page, time) {
  await page.fill('#time-input', time);
  await page.press('#time-input', 'Enter');
}

export async function waitValue(page, key, want) {
  await page
    .waitForFunction(([k, w]) => document.querySelector(`[data-key="${k}"]`)?.textContent.trim() === w, [key, want])
    .catch(async () => assert.fail(`${key}: expected ${want}, found ${await page.locator(`[data-key="${key}"]`).first().textContent()}`));
}

export const example = (file) => readFileSync(join(ROOT, 'examples', file), 'utf8');

/// The accessibility check: axe-core's rules on the page as it is; fails on a violation
/// of impact "serious" or "critical", prints the others.
export async function axe(page, what) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.impact})`);
  figure(`axe, ${what}`, `${bad.length} serious or critical${minor.length ? `; minor: ${minor.join(', ')}` : ''}`);
  if (process.env.AXE_LIST) console.log(JSON.stringify(bad)); else assert.deepEqual(bad, [], `${what}: ${JSON.stringify(bad, null, 1)}`);
}

/// The page at 1400 and at 390 px wide (same height), as PNGs in test-output/.
export async function screenshots(page, name, { full = false } = {}) {
  const size = page.viewportSize();
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: full });
  }
  await page.setViewportSize(size);
}

/// Records the page's long main-thread tasks (over 50 ms) from its next load on, in
/// `window.__longtasks` (null where the browser reports none).
export const watchLongTasks = (page) => page.addInitScript(() => {
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    window.__longtasks = null;
  }
});

/// The long tasks recorded by `watchLongTasks` that ended at or after `since` (ms after
/// navigation).
export const longTasksSince = (page, since) =>
  page.evaluate((t) => (window.__longtasks || []).filter((e) => e.start + e.duration >= t), since);
