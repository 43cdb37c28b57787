// The app in Firefox (Debian's firefox-esr, driven by puppeteer-core over WebDriver
// BiDi): it loads, runs the walkthrough in its worker, answers the state at a time, opens
// the rule book, and logs no error. Expects the release build in dist/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { serve } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'test-output');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
mkdirSync(OUT, { recursive: true });

const server = await serve(join(ROOT, 'dist'), 0);
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = mkdtempSync(join(tmpdir(), 'license-lab-firefox-'));
const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: FIREFOX,
  headless: true,
  userDataDir: profile,
  protocolTimeout: 60_000,
});
const problems = [];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  const valueOf = (key) =>
    page.$eval(`[data-key="${key}"]`, (el) => el.textContent.trim()).catch(() => '');
  const waitValue = async (key, want) => {
    await page
      .waitForFunction(
        (k, w) => document.querySelector(`[data-key="${k}"]`)?.textContent.trim() === w,
        { timeout: 30_000 },
        key,
        want,
      )
      .catch(async () => assert.fail(`${key}: expected ${want}, found "${await valueOf(key)}"`));
  };

  console.log('- firefox: load the app with the walkthrough');
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  await page.waitForFunction(
    () => document.querySelector('.run-status')?.dataset.phase === 'idle',
    { timeout: 30_000 },
  );

  console.log('- firefox: day 26 00:00: 6 passes remaining and 4 used in analysts');
  await page.click('#time-input', { count: 3 });
  await page.type('#time-input', 'day 26 00:00');
  await page.keyboard.press('Enter');
  await waitValue('at', '2026-03-27T00:00');
  await waitValue('groups.analysts.available', '6');
  await waitValue('groups.analysts.used', '4');

  console.log('- firefox: a rule id opens the rule book');
  await page.waitForSelector('.event-log tbody td.ev-rule button');
  await page.click('.event-log tbody td.ev-rule button');
  await page.waitForSelector('.rule-panel.open .rule-id', { timeout: 10_000 });

  await page.screenshot({ path: join(OUT, 'firefox-main-view.png') });
  assert.deepEqual(problems, [], 'no errors in the Firefox console');
  console.log('firefox: all checks passed');
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
