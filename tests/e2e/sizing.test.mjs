// Issue 11, item 7: sizing reads as an answer. Seen: "5 UAP + 43" beside "smallest 46"
// (48 tokens, more than 46) with no unit; "measured 3.73 passes per person per 28 days"
// beside "mean 6.9" for one cohort; Cancel emptied the status. Each figure says what it
// counts and its unit; a split is shown with its total, and offered only when cheaper;
// the two passes-per-person figures say which is which; Cancel says it was cancelled.
import assert from 'node:assert/strict';
import { loadExample, run, screenshots, step } from './lib.mjs';

const value = (page, group, key) =>
  page.locator(`.sizing-group[data-group="${group}"] [data-figure="${key}"]`).first();

async function size(page, seeds) {
  await page.click('#tab-sizing');
  await page.fill('#sizing-seeds', String(seeds));
  await page.press('#sizing-seeds', 'Tab');
  await page.click('#sizing-run');
  await page.locator('.sizing-report').waitFor({ timeout: 120_000 });
}

await run('sizing', async ({ open }) => {
  const page = await open();

  step('103 people on one group: every figure with its unit; the split is not cheaper, so not offered');
  await loadExample(page, 'sizing.toml', '103 knowledge workers on 50 tokens');
  await size(page, 10);
  const sim = (await value(page, 'workers', 'simulation').locator('.figure-value').textContent()).trim();
  assert.match(sim, /^\d+ tokens$/);
  assert.equal((await value(page, 'workers', 'size-1').locator('.figure-value').textContent()).trim(), '50 tokens');
  const size1 = await value(page, 'workers', 'size-1').locator('.figure-note').textContent();
  assert.match(size1, /103 people × 4 passes × 120% \/ 10; 4 is the average of \d\.\d\d passes per person per 28 days, rounded up/);
  assert.match(await value(page, 'workers', 'needed').textContent(), /passes on average, \d+ passes at most/);
  assert.match(await value(page, 'workers', 'refused').textContent(), /denied connections? and .* ended sessions? per run/);
  const split = value(page, 'workers', 'split');
  assert.equal((await split.locator('dt').textContent()).trim(), 'SIZE-2: no split');
  assert.match(await split.locator('.figure-note').textContent(), /make \d+ tokens, not fewer than \d+/);
  // The busiest-28-days figure is named as such, apart from the average.
  const cohort = await page.locator('.sizing-group [data-figure="cohort"]').textContent();
  assert.match(cohort, /worker \(103 people\).*passes on average, \d+ passes at most/);
  assert.match(await page.locator('.sizing-group h3', { hasText: 'busiest 28 days' }).textContent(), /Passes per person in their busiest 28 days/);
  const report = await page.locator('.sizing-text').textContent();
  assert.ok(!/measured [\d.]+ passes per person/.test(report), 'no unlabelled "measured" beside the busiest-28-days mean');
  assert.ok(!/\d+ UAP \+ \d+/.test(await page.locator('.sizing-report').textContent()), 'no split without its total and unit');
  await screenshots(page, 'sizing');

  step('a split that saves tokens is offered with its total');
  await loadExample(page, 'q13-user-pass-or-login.toml', 'Q13');
  await size(page, 5);
  const cheaper = value(page, 'site-a', 'split');
  assert.equal((await cheaper.locator('dt').textContent()).trim(), 'SIZE-2: cheaper with User Access Passes');
  assert.match(await cheaper.locator('.figure-value').textContent(), /^(\d+) tokens in all: 1 User Access Pass \+ a login group of \d+ tokens?$/);
  assert.match(await cheaper.locator('.figure-note').textContent(), /\d+ tokens? fewer than \d+/);

  step('Cancel says the sizing was cancelled');
  await page.fill('#sizing-seeds', '400');
  await page.press('#sizing-seeds', 'Tab');
  await page.click('#sizing-run');
  await page.waitForFunction(() => document.querySelector('#sizing-status')?.textContent.includes('seeds done'));
  await page.click('#sizing-cancel');
  await page.waitForFunction(() => /cancelled after \d+ of 400 seeds/i.test(document.querySelector('#sizing-status')?.textContent ?? ''));
});
