// End-to-end test of the browser app in Debian's Chromium (driven by playwright-core).
// Expects a release build in dist/ (scripts/test-e2e.sh builds it). Serves dist/ on
// localhost, walks through the app as a user would, fails on any failed check or any
// error in the browser console, saves screenshots under test-output/ and prints the
// budget figures (bundle size, time to interactive, the 10,000-person year).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { longTasksSince, watchLongTasks } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'test-output');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;

mkdirSync(OUT, { recursive: true });
const figures = [];
const figure = (name, value) => {
  figures.push([name, value]);
  console.log(`  ${name}: ${value}`);
};
const step = (what) => console.log(`- ${what}`);

// Budget 1: the release bundle, wasm + js, gzipped. What the page loads at once (the app
// and the run worker) is counted apart from the tools worker, which the page starts only
// when a tool (form, share, import, compare, sizing) is first used.
const gzSize = (f) => gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length;
const initial = { gz: 0, parts: [] };
const lazy = { gz: 0, parts: [] };
for (const f of readdirSync(DIST)) {
  if (/\.(wasm|js)$/.test(f)) {
    const n = gzSize(f);
    const into = f.startsWith('tools') ? lazy : initial;
    into.gz += n;
    into.parts.push(`${f} ${(n / 1024).toFixed(0)} KB`);
  }
}
console.log('budget');
figure('bundle loaded at start (app + run worker, wasm + js, gzip -9)', `${(initial.gz / 1024).toFixed(0)} KB (budget 600 KB): ${initial.parts.join(', ')}`);
assert.ok(initial.gz < 600 * 1024, `the bundle loaded at start is ${(initial.gz / 1024).toFixed(1)} KB gzipped, over its budget of 600 KB`);
figure('tools worker, loaded on first use of a tool', `${(lazy.gz / 1024).toFixed(0)} KB: ${lazy.parts.join(', ')}; whole bundle ${((initial.gz + lazy.gz) / 1024).toFixed(0)} KB`);
figure('text fetched at start (the rule book, RULES.md)', `${(gzSize('RULES.md') / 1024).toFixed(1)} KB; each example is fetched when opened`);

const server = await serve(DIST, 0);
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = mkdtempSync(join(tmpdir(), 'license-lab-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

const problems = [];
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('crash', () => problems.push('the page crashed'));
  // Long main-thread tasks, from the very start.
  await watchLongTasks(page);

  const text = async (sel) => ((await page.locator(sel).first().textContent()) ?? '').trim();
  const waitText = async (sel, expected) => {
    const loc = page.locator(sel).first();
    await loc.waitFor();
    await page.waitForFunction(
      ([s, e]) => document.querySelector(s)?.textContent.trim() === e,
      [sel, expected],
    ).catch(async () => {
      assert.fail(`${sel}: expected "${expected}", found "${await text(sel)}"`);
    });
  };
  const waitIdle = (title) =>
    page.waitForFunction(
      (t) =>
        document.querySelector('.run-status')?.dataset.phase === 'idle' &&
        document.querySelector('.result-title')?.textContent.includes(t),
      title,
    );
  const goTo = async (time) => {
    await page.fill('#time-input', time);
    await page.press('#time-input', 'Enter');
  };

  step('load the app with the walkthrough');
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { dcl: n?.domContentLoadedEventEnd ?? 0 };
  });
  figure('first result drawn (walkthrough run in the worker)', `${readyMs} ms after navigation (budget 1500 ms); DOMContentLoaded ${nav.dcl.toFixed(0)} ms`);
  await waitIdle('Login access passes: the walkthrough');
  const loadTasks = await page.evaluate(() => window.__longtasks);
  if (loadTasks) {
    const worst = Math.max(0, ...loadTasks.map((t) => t.duration));
    figure('longest main-thread task during load', `${worst.toFixed(0)} ms (${loadTasks.length} over 50 ms)`);
  }

  step('day 26 00:00: 6 passes remaining and 4 used in analysts');
  await goTo('day 26 00:00');
  await waitText('[data-key="at"]', '2026-03-27T00:00');
  await waitText('[data-key="groups.analysts.available"]', '6');
  await waitText('[data-key="groups.analysts.used"]', '4');
  await waitText('[data-key="totals.passes_consumed"]', '4');
  await waitText('[data-key="tokens.free"]', '9');

  step('the event log holds a LAP-4 event, and LAP-4 opens the rule book');
  const lap4 = page.locator('.event-log tbody td.ev-rule button', { hasText: 'LAP-4' }).first();
  await lap4.waitFor();
  await lap4.click();
  await page.locator('.rule-panel.open .rule-id', { hasText: 'LAP-4' }).waitFor();
  assert.match(await text('.rule-panel .rule-text'), /connects again while their last pass is still live/);
  await page.keyboard.press('Escape');
  await page.locator('.rule-panel.open').waitFor({ state: 'detached' });

  step('the log filters by rule, user and kind');
  const shows = (n) => page.locator('.page-info', { hasText: `of ${n} ·` }).waitFor();
  await page.selectOption('#filter-rule', 'LAP-7');
  await shows(4);
  assert.equal(await page.locator('.event-log tbody tr').count(), 4);
  await page.selectOption('#filter-rule', '');
  await page.fill('#filter-user', 'sam');
  await shows(11);
  await page.selectOption('#filter-kind', 'consumed');
  await shows(4);
  await page.click('.filters button:has-text("Clear filters")');
  await shows(16);

  step('step mode: next and previous event from the cursor');
  await page.click('#next-event');
  await page.locator('.step-banner', { hasText: 'Event 13 of 16' }).waitFor();
  await waitText('[data-key="at"]', '2026-03-30T09:00');
  await waitText('[data-key="groups.analysts.available"]', '7');
  assert.equal(await page.locator('.count.changed [data-key="groups.analysts.available"]').count(), 1, 'the changed count is highlighted');
  await page.click('#prev-event');
  await page.locator('.step-banner', { hasText: 'Event 12 of 16' }).waitFor();
  await waitText('[data-key="at"]', '2026-03-26T10:40');
  assert.equal(await page.locator('.event-log tr.selected').count(), 1, 'the stepped event is selected in the log');

  step('clicking an event in the log moves the cursor there');
  await page.locator('.event-log tbody tr', { hasText: 'reuses the login pass' }).locator('.time-link').click();
  await waitText('[data-key="at"]', '2026-03-26T10:35');
  await goTo('day 26 00:00');
  await waitText('[data-key="groups.analysts.available"]', '6');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, 'main-view.png') });
  await page.screenshot({ path: join(OUT, 'main-view-full.png'), fullPage: true });

  step('a broken line: an error at that line, the last result stays (stale)');
  const area = page.locator('#scenario-text');
  const lines = (await area.inputValue()).split('\n').length;
  await area.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nthis line is not TOML');
  const bad = lines + 1;
  await page.locator(`.line-mark[data-line="${bad}"]`).waitFor();
  assert.match(await text('.errors'), new RegExp(`line ${bad}, column \\d+`));
  const message = await text('.errors .error-message');
  assert.ok(message.length > 0 && (await text(`.line-message[data-line="${bad}"]`)).includes(message), 'the parser\'s message is written at its line');
  assert.ok((await area.inputValue()).endsWith('this line is not TOML'), 'the typed text stays');
  await page.locator('.stale-note.shown').waitFor();
  await waitText('[data-key="groups.analysts.available"]', '6');
  await waitText('[data-key="groups.analysts.used"]', '4');
  assert.ok(await page.locator('.chart[data-chart="tokens"] .chart-box svg').isVisible(), 'the charts stay');
  await page.screenshot({ path: join(OUT, 'editor-error.png') });

  step('the quarantine example: one token pending on day 12 12:00');
  await page.click('.gallery button[data-file="quarantine.toml"]');
  await waitIdle('User Access Pass quarantine');
  await goTo('day 12 12:00');
  await waitText('[data-key="at"]', '2026-01-13T12:00');
  await waitText('[data-key="tokens.pending"]', '1');
  await waitText('[data-key="user_passes.quarantined"]', '1');
  await waitText('[data-key="tokens.free"]', '0');
  assert.equal(await page.locator('.stale-note.shown').count(), 0, 'a fresh result is not stale');

  step('a question from the gallery: Q3, two passes for 62 minutes');
  await page.click('.gallery button[data-file="q03-sixty-two-minutes.toml"]');
  await waitIdle('Q3: I stayed 62 minutes; why two passes?');
  assert.match(page.url(), /#q03-sixty-two-minutes\.toml$/, 'the address names the example');
  await goTo('day 1 10:00');
  await waitText('[data-key="groups.team.used"]', '5');
  await page.click('#prev-event');
  await page.locator('.step-banner', { hasText: 'LAP-3' }).waitFor();

  step('a long run can be cancelled: the last result stays');
  // Four times the stress test's visits, so the run is long enough to catch.
  const tenThousand = readFileSync(join(ROOT, 'www/ten-thousand.toml'), 'utf8');
  const heavier = tenThousand.replace('visits_per_month = 4', 'visits_per_month = 16');
  assert.notEqual(heavier, tenThousand);
  await page.fill('#scenario-text', heavier);
  await page.click('#run');
  await page.waitForFunction(() => {
    const p = document.querySelector('#run-progress');
    return document.querySelector('.run-status')?.dataset.phase === 'running' && p && Number(p.value) > 0;
  });
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('.run-status')?.dataset.phase === 'cancelled');
  // The title follows the text's name; the result shown stays, marked stale and named.
  await page.locator('.stale-note.shown', { hasText: 'Q3: I stayed 62 minutes' }).waitFor();
  assert.match(await text('.result-title'), /10,000 people, one year/);

  step('10,000 people for a year, from the gallery');
  const t0 = await page.evaluate(() => performance.now());
  await page.click('.gallery button[data-file="ten-thousand.toml"]');
  await waitIdle('10,000 people, one year');
  await page.locator('.chart[data-chart="tokens"] .chart-box svg').waitFor();
  const t1 = await page.evaluate(() => performance.now());
  const runTasks = await longTasksSince(page, t0);
  const status = await text('.run-status');
  figure('10,000-person year, click to charts drawn (parse, run and charts)', `${(t1 - t0).toFixed(0)} ms (budget 2000 ms); ${status}`);
  const worst = Math.max(0, ...runTasks.map((e) => e.duration));
  figure('longest main-thread task during the run', `${worst.toFixed(0)} ms (budget 200 ms); ${runTasks.length} task(s) over 50 ms`);
  const events = await text('.page-info');
  assert.match(events, /of [\d,]{6,}/, 'a long log, paginated');
  await page.click('.pager button:has-text("Next page")');
  await page.locator('.page-info', { hasText: 'page 2 of' }).waitFor();
  await goTo('day 200 12:00');
  await waitText('[data-key="at"]', '2026-07-20T12:00');
  await page.screenshot({ path: join(OUT, 'ten-thousand.png') });

  step('no errors in the browser console');
  assert.deepEqual(problems, [], problems.join('\n'));
} catch (e) {
  failed = true;
  console.error(e);
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: join(OUT, 'failure.png'), fullPage: true });
  } catch {}
  if (problems.length) console.error(problems.join('\n'));
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failed) {
  console.error('e2e: FAILED');
  process.exit(1);
}
console.log('e2e: all checks passed');
