// Issue 15, part 4: Compare leads with the answer. The figure that changed most, in words
// with its moment, above the key figures (the most changed first); the charts that
// differ first, those flat in both runs folded away. The sentence is the command line's
// (`license-lab compare A B --answer`); no console error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, figure, paste, run, screenshots, shows, step } from './lib.mjs';

const CLI = join(ROOT, 'target/debug/license-lab');
const cli = (...args) => execFileSync(CLI, args, { cwd: ROOT, encoding: 'utf8' });

/// 20 people on User Access Passes, each using theirs on day 15; with `remove`, all are
/// removed the next day (UAP-3: quarantined for 7 days, then the tokens are back).
function twenty(remove) {
  let t = 'name = "twenty"\nstart = "2026-01-01"\ndays = 40\n\n[license]\ntokens = 20\n';
  for (let i = 0; i < 20; i++) {
    t += `\n[[user]]\nname = "p${i}"\naccess = "user_pass"\n`;
    t += `\n[[visit]]\nuser = "p${i}"\nat = "day 15 10:00"\nactive = "30m"\nends = "logout"\ndevice = "web"\n`;
    if (remove) t += `\n[[action]]\nat = "day 16 09:00"\ndo = "remove_user_pass"\nuser = "p${i}"\n`;
  }
  return t;
}

const answerOf = (a, b) => {
  const dir = mkdtempSync(join(tmpdir(), 'll-compare-'));
  try {
    writeFileSync(join(dir, 'a.toml'), a);
    writeFileSync(join(dir, 'b.toml'), b);
    return cli('compare', join(dir, 'a.toml'), join(dir, 'b.toml'), '--answer').split('\n')[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const chartKeys = (page, selector) =>
  page.$$eval(selector, (els) => els.map((e) => e.dataset.chart));

async function compareWith(page, b) {
  await page.click('#tab-compare');
  await page.fill('#compare-text', b);
  await page.click('#compare-run');
  await page.locator('#compare-answer').waitFor();
  return (await page.locator('#compare-answer').textContent()).trim();
}

await run('compare', async ({ open }) => {
  const page = await open();

  step('removing 20 user passes: the answer says when the tokens are back (UAP-3)');
  const a = twenty(true);
  const b = twenty(false);
  await paste(page, a);
  await shows(page, 'twenty');
  const t0 = Date.now();
  const answer = await compareWith(page, b);
  figure('compare answered', `${Date.now() - t0} ms`);
  const want = answerOf(a, b);
  assert.equal(answer, want);
  assert.equal(answer, 'All 20 tokens are back by 2026-01-24 00:00 in A; in B they stay allocated.');
  figure('answer', answer);

  step('the key figures, the most changed first');
  const first = page.locator('.compare-table tbody tr').first();
  assert.equal(await first.getAttribute('data-figure'), 'free-at-end');
  assert.equal((await first.locator('td.a').textContent()).trim(), '20');
  assert.equal((await first.locator('td.b').textContent()).trim(), '0');
  assert.equal((await first.locator('td.diff').textContent()).trim(), '-20');

  step('the charts that differ first; the login passes\', flat at 0 in both, folded away');
  const shown = await chartKeys(page, '.compare-answer-box ~ .charts > .chart');
  assert.equal(shown[0], 'compare-free', shown.join(', '));
  const folded = await chartKeys(page, '.compare-folded .chart');
  assert.ok(folded.includes('compare-used') && folded.includes('compare-available'), folded.join(', '));
  assert.ok(!shown.includes('compare-used'), shown.join(', '));
  assert.equal(await page.locator('.compare-folded').evaluate((d) => d.open), false);
  assert.match(await page.locator('.compare-folded > summary').textContent(), /^\d+ charts? flat in both runs/);
  await screenshots(page, 'compare-answer');

  step('the walkthrough\'s group without its token: the answer names the first denial');
  await page.click('#tab-run');
  await page.click('.gallery button[data-file="walkthrough.toml"]');
  await shows(page, 'the walkthrough');
  const walk = await page.locator('#scenario-text').inputValue();
  const fewer = walk.replace('name = "analysts"\ntokens = 1', 'name = "analysts"\ntokens = 0');
  assert.notEqual(fewer, walk);
  const answer2 = await compareWith(page, fewer);
  assert.equal(answer2, answerOf(walk, fewer));
  figure('answer, walkthrough, its group on 0 tokens', answer2);
  const shown2 = await chartKeys(page, '.compare-answer-box ~ .charts > .chart');
  assert.ok(shown2.length >= 1, 'a chart that differs is shown');
});
