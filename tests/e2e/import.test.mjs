// Issue 14, part 3 "What-if on history", in the browser: a deployment's exports picked
// or dropped, imported in the tools worker, previewed (counts from the command line's own
// summary of the same files), opened as a scenario (the text is the command line's), run;
// a bad file's message names its line and the editor keeps its text; the import is kept
// in IndexedDB across a reload; sizing and growth of the history; the share link of a large
// import offers the file; and the budget: a generated 1,000,000-session CSV (~60 MB)
// through the same path, the time to result and the longest main-thread task printed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  ROOT, axe, editorText, figure, idle, longTasksSince, paste, run, screenshots, step, watchLongTasks,
} from './lib.mjs';

const CLI = join(ROOT, 'target/debug/license-lab');
const ex = (f) => join(ROOT, 'examples/import', f);

/// The counts of `license-lab import FILES`'s summary (standard error).
// Run where the files are, with their bare names: the names the browser gives them.
function cliSummary(files, flags = []) {
  const r = execFileSync('sh', ['-c', `"${CLI}" import ${flags.join(' ')} ${files.map((f) => `"${basename(f)}"`).join(' ')} 2>&1 >/dev/null`], { cwd: dirname(files[0]) });
  const m = /(\d[\d,]*) users?, (\d[\d,]*) sessions?/.exec(r.toString());
  assert.ok(m, `the command line's summary: ${r}`);
  return { users: m[1], sessions: m[2] };
}
const cliText = (files) => execFileSync(CLI, ['import', ...files.map((f) => basename(f))], { cwd: dirname(files[0]), stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 }).toString();
const thousands = (n) => Number(String(n).replace(/,/g, '')).toLocaleString('en-US');
const fig = (page, key) => page.locator(`.import-preview [data-figure="${key}"] dd`).textContent();

/// A sessions CSV of `n` rows as `tools::bench::sessions_csv` writes them (its own PRNG:
/// about 50 sessions per person over a year in office hours, 5–90 minutes).
function sessionsCsv(n) {
  const people = Math.max(1, Math.floor(n / 50));
  let x = 0x2545f491;
  const below = (k) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % k;
  };
  const start = Date.UTC(2026, 0, 5);
  const stamp = (m) => new Date(start + m * 60_000).toISOString().slice(0, 16) + ':00Z';
  const devices = ['laptop', 'phone', 'tablet'];
  const parts = ['UserDirectory,UserId,Session Start,Session End,Device\n'];
  for (let i = 0; i < n; i++) {
    const person = String(below(people)).padStart(5, '0');
    const at = below(365) * 1440 + 480 + below(600);
    const active = 5 + below(85);
    parts.push(`CORP,user-${person},${stamp(at)},${stamp(at + active)},${devices[i % 3]}\n`);
  }
  return parts.join('');
}

await run('import', async ({ open }) => {
  const page = await open();
  // Long main-thread tasks (from the reload on, before the budget).
  await watchLongTasks(page);

  step('allocations and usage picked together: the preview has the command line\'s counts');
  const qrs = ['qrs-accesstypeoverview.json', 'qrs-loginaccesstype.json', 'qrs-loginaccessusage.json'].map(ex);
  const want = cliSummary(qrs);
  await paste(page, (await editorText(page)) + '\n# my edit\n');
  const edited = await editorText(page);
  await page.setInputFiles('#history-input', qrs);
  await page.locator('.import-preview[data-ok="true"]').waitFor();
  assert.equal((await fig(page, 'users')).trim(), thousands(want.users));
  assert.equal((await fig(page, 'sessions')).trim(), thousands(want.sessions));
  assert.match(await fig(page, 'period'), /2026-03-02 08:30:00 to 2026-03-05 12:00:00 UTC/);
  assert.equal(await page.locator('.import-files tbody tr').count(), 3);
  assert.match(await page.locator('.import-preview').textContent(), /service account/);
  assert.equal(await editorText(page), edited, 'the preview changes nothing');
  await screenshots(page, 'import-preview');
  await axe(page, 'import preview');

  step('Open as a scenario: the command line\'s text, run; the edited text is one click away');
  await page.click('#history-open');
  await page.locator('.notice', { hasText: 'Opened the imported history' }).waitFor();
  await idle(page);
  assert.equal(await editorText(page), cliText(qrs));
  await page.waitForFunction(() => document.querySelector('.result-title')?.textContent.length > 0
    && !document.querySelector('.stale-note.shown'));
  await page.locator('#restore-text').waitFor();

  step('a dropped sessions CSV is previewed the same way');
  const csv = readFileSync(ex('sessions.csv'), 'utf8');
  const wantCsv = cliSummary([ex('sessions.csv')]);
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'sessions.csv', { type: 'text/csv' }));
    document.querySelector('.col-scenario').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, csv);
  await page.waitForFunction((n) => document.querySelector('.import-preview [data-figure="sessions"] dd')?.textContent.trim() === n, thousands(wantCsv.sessions));
  assert.equal((await fig(page, 'users')).trim(), thousands(wantCsv.users));

  step('a bad file: the message names the line and what is wrong; nothing changes');
  const before = await editorText(page);
  await page.setInputFiles('#history-input', {
    name: 'broken.csv', mimeType: 'text/csv',
    buffer: Buffer.from('UserId,Session Start,Session End\nkim,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z\nlee,yesterday,2026-03-02T10:00:00Z\n'),
  });
  const alert = page.locator('.import-preview[data-ok="false"] [role="alert"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /broken\.csv: line 3: .*/);
  assert.equal(await editorText(page), before);
  step('… and with Skip bad rows, the row is listed with its line');
  await page.check('#history-skip-bad');
  await page.setInputFiles('#history-input', {
    name: 'broken.csv', mimeType: 'text/csv',
    buffer: Buffer.from('UserId,Session Start,Session End\nkim,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z\nlee,yesterday,2026-03-02T10:00:00Z\n'),
  });
  await page.locator('.import-skipped td', { hasText: /^3$/ }).waitFor();
  assert.equal((await fig(page, 'skipped')).trim(), '1');
  await page.uncheck('#history-skip-bad');

  step('a table whose columns have other names: the chooser lists them, the chosen ones import it');
  const odd = 'Who;Began;Finished;Where\nkim;2026-03-02T09:00:00Z;2026-03-02T10:00:00Z;pc\nlee;2026-03-02T09:30:00Z;2026-03-02T09:50:00Z;phone\n';
  const oddFile = join(mkdtempSync(join(tmpdir(), 'license-lab-import-')), 'odd.csv');
  writeFileSync(oddFile, odd);
  const wantOdd = cliSummary([oddFile], ['--columns', 'user=Who,start=Began,end=Finished,device=Where']);
  await page.setInputFiles('#history-input', oddFile);
  await page.locator('.import-preview[data-ok="false"] .import-columns').waitFor();
  assert.match(await page.locator('.import-preview [role="alert"]').textContent(), /odd\.csv: line 1: .*found `Who;Began;Finished;Where`/);
  assert.doesNotMatch(await page.locator('.import-preview [role="alert"]').textContent(), /--columns/, 'the page offers its chooser, not the command line\'s option');
  assert.match(await page.locator('.import-columns select[data-field="end"]').textContent(), /Finished/);
  await page.selectOption('.import-columns select[data-field="user"]', 'Who');
  await page.selectOption('.import-columns select[data-field="start"]', 'Began');
  await page.selectOption('.import-columns select[data-field="end"]', 'Finished');
  await page.selectOption('.import-columns select[data-field="device"]', 'Where');
  await page.click('#history-remap');
  await page.locator('.import-preview[data-ok="true"]').waitFor();
  assert.equal((await fig(page, 'sessions')).trim(), thousands(wantOdd.sessions));
  assert.equal((await fig(page, 'users')).trim(), thousands(wantOdd.users));
  assert.equal(await page.locator('.import-columns select[data-field="user"]').inputValue(), 'Who', 'the choice is kept');
  await screenshots(page, 'import-columns');
  await axe(page, 'import column chooser');
  rmSync(dirname(oddFile), { recursive: true, force: true });

  step('sizing the history, as it was and with 50% more people like ours');
  await page.click('#tab-sizing');
  await page.click('#size-history');
  await page.locator('.sizing-report').waitFor({ timeout: 120_000 });
  const asWas = await page.locator('.sizing-report').textContent();
  assert.match(asWas, /Over 1 seeds?/);
  await page.fill('#grow-pct', '50');
  await page.click('#size-grown');
  await page.waitForFunction((t) => document.querySelector('.sizing-report')?.textContent !== t, asWas, { timeout: 120_000 });
  assert.match(await page.locator('.sizing-report').textContent(), /50%/);
  await page.click('#tab-run');

  step('the import is kept in IndexedDB: listed after a reload, and opens');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  const kept = page.locator('.imported-list li.imported');
  await kept.first().waitFor();
  assert.equal(await kept.count(), 1);
  await paste(page, 'name = "Something else"\nstart = "2026-01-01"\ndays = 1\n\n[license]\nkind = "perpetual"\ntokens = 1\n');
  await kept.first().locator('button[data-act="open-kept"]').click();
  await page.locator('.notice', { hasText: 'Opened the imported history' }).waitFor();
  assert.equal(await editorText(page), cliText(qrs));

  step('budget: a generated 1,000,000-session CSV through the same path');
  const dir = mkdtempSync(join(tmpdir(), 'license-lab-import-'));
  const big = join(dir, 'sessions-1m.csv');
  writeFileSync(big, sessionsCsv(1_000_000));
  const bigSummary = cliSummary([big]);
  const mb = (readFileSync(big).length / 1_048_576).toFixed(1);
  const t0 = await page.evaluate(() => performance.now());
  await page.setInputFiles('#history-input', big);
  await page.locator('.import-preview[data-ok="true"] [data-figure="sessions"]').waitFor({ timeout: 300_000 });
  const t1 = await page.evaluate(() => performance.now());
  assert.equal((await fig(page, 'sessions')).trim(), thousands(bigSummary.sessions));
  assert.equal((await fig(page, 'users')).trim(), thousands(bigSummary.users));
  await page.click('#history-open');
  await page.locator('.notice', { hasText: 'Opened the imported history' }).waitFor({ timeout: 300_000 });
  await page.waitForFunction(() => document.querySelector('.run-status')?.dataset.phase === 'idle'
    && !document.querySelector('.stale-note.shown')
    && document.querySelector('.result-title')?.textContent.includes('sessions-1m'), null, { timeout: 300_000 });
  const t2 = await page.evaluate(() => performance.now());
  const tasks = await longTasksSince(page, t0);
  const worst = Math.max(0, ...tasks.map((e) => e.duration));
  figure('1,000,000-session CSV: drop to preview (read + import in the tools worker)', `${((t1 - t0) / 1000).toFixed(1)} s for ${mb} MB`);
  figure('… preview to result drawn (open, check, run)', `${((t2 - t1) / 1000).toFixed(1)} s; total ${((t2 - t0) / 1000).toFixed(1)} s (budget 6 s)`);
  figure('… longest main-thread task', `${worst.toFixed(0)} ms (budget 200 ms); ${tasks.length} task(s) over 50 ms`);

  step('the page holds the large text\'s stand-in (its head, read-only); Export .toml gives the whole text');
  const area = page.locator('#scenario-text');
  assert.equal(await area.evaluate((e) => e.readOnly), true);
  const head = await editorText(page);
  assert.match(head, /^# license-lab:large-text [0-9a-f]{16}-\d+\n/);
  assert.ok(head.length < 100_000, `the editor holds ${head.length} characters`);
  const wholeCli = execFileSync(CLI, ['import', basename(big)], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-toml')]);
  const saved = readFileSync(await dl.path());
  assert.equal(saved.length, wholeCli.length, 'the downloaded file is the whole import');
  assert.ok(saved.equals(wholeCli), 'the downloaded file is the command line\'s text');

  step('share: the large import is too large for a link, the file is offered');
  await page.click('#share');
  await page.locator('.share-box.error', { hasText: 'too large for a link' }).waitFor({ timeout: 60_000 });
  await page.locator('.share-box.error button', { hasText: 'Download' }).waitFor();

  step('a reload keeps the stand-in; its whole text comes back from IndexedDB and runs');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(() => document.querySelector('.run-status')?.dataset.phase === 'idle'
    && !document.querySelector('.stale-note.shown')
    && document.querySelector('.result-title')?.textContent.includes('sessions-1m'), null, { timeout: 300_000 });
  assert.match(await editorText(page), /^# license-lab:large-text /);
  rmSync(dir, { recursive: true, force: true });
});
