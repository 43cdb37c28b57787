// Issue 15, part 3: sizing as a decision. The answer in one sentence on top of the
// sizing report, the chart of token counts against the seeds with a refusal and the
// worst month's refusals (SVG, exported as SVG and PNG), the curve as CSV (the command
// line's bytes), a share link that carries the sizing request (and an old link still
// opens), SIZE-1's quick calculator giving the command
// line's figure; no console error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, editorText, figure, loadExample, run, screenshots, step } from './lib.mjs';

const CLI = join(ROOT, 'target/debug/license-lab');
const cli = (...args) => execFileSync(CLI, args, { cwd: ROOT, encoding: 'utf8' });

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

const sentence = (page) => page.locator('#sizing-sentence').textContent();

await run('decision', async ({ browser, open }) => {
  const page = await open();
  const SEEDS = 12;

  step('the sizing ends in one sentence and its chart, the command line\'s');
  await loadExample(page, 'sizing.toml', '103 knowledge workers on 50 tokens');
  await page.click('#tab-sizing');
  await page.fill('#sizing-seeds', String(SEEDS));
  await page.press('#sizing-seeds', 'Tab');
  const t0 = Date.now();
  await page.click('#sizing-run');
  await page.locator('#sizing-sentence').waitFor({ timeout: 120_000 });
  figure('sizing with its curve, 12 seeds', `${Date.now() - t0} ms (${await page.locator('#sizing-status').textContent()})`);
  const text = cli('size', 'examples/sizing.toml', '--seeds', String(SEEDS));
  const want = text.split('\n').find((l) => l.startsWith('decision: ')).slice('decision: '.length);
  assert.equal((await sentence(page)).trim(), want);
  assert.match(want, /^\d+ tokens: no refusal in 12 of 12 seeds; \d+: a refusal in \d+ of 12, at most \d+ in a month$/);
  figure('sentence', want);
  const csv = cli('size', 'examples/sizing.toml', '--seeds', String(SEEDS), '--format', 'csv');
  const rows = csv.trim().split('\n').length - 1;
  const chart = page.locator('#sizing-chart svg');
  await chart.waitFor();
  assert.equal(await chart.locator('g > title').count(), rows, 'one column per token count');
  assert.match(await chart.getAttribute('aria-label'), /share of seeds with a refusal/);
  assert.ok(await chart.locator('text', { hasText: 'recommended' }).count() >= 1);
  assert.ok(await chart.locator('text', { hasText: 'refusals in the worst month' }).count() >= 1);
  assert.equal(await page.locator('table.sizing-curve tbody tr').count(), rows);
  // The sentence sits above the chart and the report's figures.
  const top = async (sel) => (await page.locator(sel).first().boundingBox()).y;
  assert.ok(await top('#sizing-sentence') < await top('#sizing-chart'));
  assert.ok(await top('#sizing-chart') < await top('.sizing-group'));
  await page.locator('#sizing-sentence').scrollIntoViewIfNeeded();
  await screenshots(page, 'decision');

  step('exports: the curve as CSV (the command line\'s bytes), the chart as SVG and PNG');
  const got = await download(page, '#sizing-csv');
  assert.match(got.name, /sizing\.csv$/);
  assert.equal(got.bytes.toString('utf8'), csv);
  const svg = await download(page, '#sizing-svg');
  assert.match(svg.name, /sizing\.svg$/);
  assert.match(svg.bytes.toString('utf8'), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const png = await download(page, '#sizing-png');
  assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');

  step('SIZE-1\'s calculator gives license-lab size\'s figure');
  for (const [people, passes, buffer] of [['103', '4', '20'], ['250', '3', '15'], ['100', '5', '0']]) {
    await page.fill('#calc-people', people);
    await page.fill('#calc-passes', passes);
    await page.fill('#calc-buffer', buffer);
    const tokens = cli('size', '--people', people, '--passes', passes, '--buffer', buffer).trim();
    await page.waitForFunction((t) => document.querySelector('#calc-out')?.textContent.startsWith(`${t} tokens `), tokens);
  }

  step('the share link carries the sizing request');
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  assert.ok(link.endsWith(`&size=${SEEDS},0`), link);
  const textHere = await editorText(page);
  const sentenceHere = (await sentence(page)).trim();

  step('the recipient of the link sees the same answer: the sizing starts on opening');
  const second = await open({ address: link });
  await second.locator('#tab-sizing[aria-selected="true"]').waitFor();
  await second.locator('#sizing-sentence').waitFor({ timeout: 120_000 });
  assert.equal(await editorText(second), textHere);
  assert.equal(await second.locator('#sizing-seeds').inputValue(), String(SEEDS));
  assert.equal((await sentence(second)).trim(), sentenceHere);
  await second.close();

  step('an old link (no sizing in it) still opens its scenario, and sizes nothing');
  const old = link.replace(/&size=.*$/, '');
  const third = await open({ address: old });
  await third.waitForFunction((t) => document.querySelector('#scenario-text').value === t, textHere);
  await third.waitForTimeout(500);
  assert.equal(await third.locator('#sizing-sentence').count(), 0);
});
