// Issue 15, parts 1 and 2: lives and reasons. The walkthrough's pass lanes show Day 1's
// two passes, Day 15's one and Day 25's one back on days 29, 43 and 53; a count of the
// state panel opens the events that make it; the allocations' lanes (UAP-3's quarantine); an event of the log opens the lane of the
// pass or person it concerns; a lane chart downloads as SVG; the 10,000-person year's
// lanes open (and page) in under a second each, with no long main-thread task.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, figure, goTo, longTasksSince, run, screenshots, shows, step, watchLongTasks } from './lib.mjs';

/// Waits for the lanes chart whose caption contains `caption`.
const lanes = (page, caption) =>
  page.waitForFunction(
    (c) => document.querySelector('#lives .lane-chart figcaption')?.textContent.includes(c),
    caption,
  );

await run('lanes', async ({ open }) => {
  const page = await open();
  await shows(page, 'the walkthrough');

  step('the walkthrough: one lane per pass, back on days 29, 43 and 53');
  await lanes(page, 'Login passes of analysts');
  const uses = await page.$$eval('#lives g.pass-use', (gs) => gs.map((g) => ({
    back: Number(g.dataset.returns),
    title: g.querySelector('title').textContent,
  })));
  assert.deepEqual(uses.map((u) => u.back), [29, 29, 43, 53], JSON.stringify(uses));
  for (const [i, day] of [[0, 1], [1, 1], [2, 15], [3, 25]]) {
    assert.match(uses[i].title, new RegExp(`consumed 2026-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(day ${day}\\) by sam`), uses[i].title);
    assert.match(uses[i].title, /returns 2026-0[34]-\d\d \d\d:00 \(day (29|43|53)\)/, uses[i].title);
  }
  const backs = await page.$$eval('#lives text.back', (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(backs, ['back day 29', 'back day 29', 'back day 43', 'back day 53']);
  assert.equal(await page.locator('#lives svg.lanes text', { hasText: /^pass \d+$/ }).count(), 10, 'ten lanes');

  step('the time cursor crosses the lanes');
  await goTo(page, 'day 26 00:00');
  await page.waitForFunction(() => Number(document.querySelector('#lives .cursor-line')?.getAttribute('x1')) > 120);

  step('a count of the state panel opens its events');
  await page.waitForFunction(() => document.querySelector('[data-key="at"]')?.textContent === '2026-03-27T00:00');
  await page.click('[data-why="groups.analysts.used"]');
  const box = page.locator('.reasons-box .reasons');
  await box.locator('text=4 passes used in analysts').waitFor();
  const lines = await box.locator('li').allTextContents();
  assert.equal(lines.length, 4, lines.join('\n'));
  assert.match(lines[0], /\+1 2026-03-02 09:00 pass 1 consumed 03-02 09:00 by sam \(returns 03-30 09:00\)/);
  step('the reasons follow the cursor');
  await goTo(page, 'day 40 00:00');
  await box.locator('text=2 passes used in analysts').waitFor();
  await page.evaluate(() => document.querySelector('.reasons-box').scrollIntoView({ block: 'center' }));
  await screenshots(page, 'reasons');

  step("a reason's lane link shows its pass, outlined");
  await box.locator('button[data-lives^="event|"]').last().click();
  await page.locator('#lives .lives-note', { hasText: 'pass 4 of analysts' }).waitFor();
  await page.click('.reasons [data-reasons-close]');
  await page.waitForFunction(() => !document.querySelector('.reasons-box .reasons'));

  step('an event of the log opens the lane it concerns');
  const renewal = page.locator('.event-log tr', { hasText: 'still in session after 60 minutes' }).first();
  await renewal.locator('[data-lane]').click();
  await page.locator('#lives .lives-note', { hasText: 'pass 2 of analysts' }).waitFor();
  await page.locator('#lives .lives-note button', { hasText: 'sam' }).click();
  await lanes(page, 'sam (login:analysts)');
  assert.ok(await page.locator('#lives rect.conn').count() >= 3, "sam's connections");
  const conn = await page.locator('#lives rect.conn title').first().textContent();
  assert.match(conn, /ran on login access analysts: pass 1, pass 2/, conn);

  step('a user in the log opens their lanes; the picker too');
  await page.click('[data-lives^="passes|"]');
  await lanes(page, 'Login passes of analysts');
  await page.locator('.event-log [data-user]').first().click();
  await page.locator('#lives [data-lives-user]').waitFor();
  await lanes(page, '(login:analysts)');

  step('a lane chart downloads as SVG');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#lives .lane-chart [data-export="svg"]'),
  ]);
  const svg = readFileSync(await download.path(), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /connection #\d+ on/);
  await page.click('[data-lives^="passes|"]');
  await lanes(page, 'Login passes of analysts');
  await page.evaluate(() => document.querySelector('#lives').scrollIntoView());
  await screenshots(page, 'lanes');

  step('allocations: one lane per User Access Pass, allocated, used, quarantined until, freed (UAP-3)');
  await page.click('.gallery button[data-file="quarantine.toml"]');
  await shows(page, 'User Access Pass quarantine');
  await page.click('#lives [data-lives="allocations"]');
  await lanes(page, 'llocation');
  const titles = await page.$$eval('#lives svg.lanes title', (ts) => ts.map((t) => t.textContent));
  const has = (re) => assert.ok(titles.some((t) => re.test(t)), `${re} in ${JSON.stringify(titles)}`);
  // The command line's `lanes --allocations`: alice's pass, held from the start, used on
  // 01-10, removed 01-13 12:00 and quarantined until 01-18 00:00; bob's from 01-18 09:00.
  has(/^#0 User Access Pass of alice$/);
  has(/^#0 User Access Pass: allocated to alice, 2026-01-01 00:00 \(day 0\) to 2026-01-13 12:00 \(day 12\)$/);
  has(/^#0 User Access Pass: quarantined until 2026-01-18 00:00 \(day 17\), 2026-01-13 12:00 \(day 12\) to 2026-01-18 00:00 \(day 17\)$/);
  has(/^used on web \(connection #0\), 2026-01-10 14:00 \(day 9\) to 2026-01-10 15:15 \(day 9\)$/);
  has(/^#1 User Access Pass: allocated to bob, 2026-01-18 09:00 \(day 17\) to the end$/);
  assert.equal(await page.locator('#lives svg.lanes text', { hasText: /^#\d+ / }).count(), 2, 'two lanes');
  await page.locator('#lives').scrollIntoViewIfNeeded();
  await page.locator('#lives').screenshot({ path: join(OUT, 'lanes-allocations.png') });
  await page.context().close();

  step('10,000 people for a year: lanes in blocks of 10, paged, each view in under 1 s');
  const big = await open();
  await watchLongTasks(big);
  await big.reload();
  await big.waitForSelector('body[data-ready=true]');
  await big.click('.gallery button[data-file="ten-thousand.toml"]');
  await shows(big, '10,000 people, one year');
  const t0 = await big.evaluate(() => performance.now());
  await lanes(big, 'Login passes of staff');
  const t1 = await big.evaluate(() => performance.now());
  figure('10,000-person year: run finished to its lanes drawn (the tools worker runs it once)', `${(t1 - t0).toFixed(0)} ms`);
  assert.match(await big.locator('#lives figcaption').textContent(), /rows of 10/);
  const times = [];
  for (const [what, click, caption] of [
    ['next rows', '#lives .lanes-pager button:has-text("Next")', 'Login passes of staff'],
    ['a person', '#lives [data-lives="person"]', 'person-'],
    ['back to the passes', '#lives [data-lives="passes|staff"]', 'Login passes of staff'],
  ]) {
    const before = await big.locator('#lives .lives-body').innerHTML();
    const a = await big.evaluate(() => performance.now());
    await big.click(click);
    await big.waitForFunction((b) => document.querySelector('#lives .lives-body').innerHTML !== b, before);
    await lanes(big, caption);
    const b = await big.evaluate(() => performance.now());
    times.push(`${what} ${(b - a).toFixed(0)} ms`);
    assert.ok(b - a < 1000, `${what}: ${(b - a).toFixed(0)} ms`);
  }
  figure('10,000-person year: each lanes view opened', times.join(', '));
  await big.fill('#lives [data-lives-user]', 'person-42').catch(() => {});
  const tasks = await longTasksSince(big, t0);
  const worst = Math.max(0, ...tasks.map((e) => e.duration));
  figure('longest main-thread task, lanes of the 10,000-person year', `${worst.toFixed(0)} ms (budget 200 ms)`);
  assert.ok(worst < 200, `a main-thread task of ${worst.toFixed(0)} ms`);
  await big.evaluate(() => document.querySelector('#lives').scrollIntoView());
  await screenshots(big, 'lanes-ten-thousand');
});
