// Issue 11, item 3: the Form never writes a file the parser rejects. A row's new kind
// (an action's `do`, a user's `access`) drops the keys that no longer apply and adds the
// ones it needs; a date typed with the keyboard gives that date, with nothing half-typed
// written on the way; many rows at once (N users named NAME-1..N, one change for
// staff-1..20 on Friday 17:00) as one edit.
import assert from 'node:assert/strict';
import { editorText, run, screenshots, step } from './lib.mjs';

/// The status under the editor says the text is valid (and how much it holds).
const valid = (page, what = '') =>
  page.waitForFunction((w) => {
    const s = document.querySelector('.editor-status')?.textContent ?? '';
    return s.startsWith('Valid') && s.includes(w);
  }, what).catch(async () => assert.fail(`not valid: ${await page.locator('.editor-status').textContent()}`));

const rows = (page, section) => page.locator(`.form-section[data-section="${section}"] fieldset.form-row`).count();

async function tab(page, selector) {
  await page.press(selector, 'Tab');
}

await run('form', async ({ open }) => {
  const page = await open();
  // Every text the editor holds while the test runs, to catch a half-typed write.
  await page.evaluate(() => {
    window.__texts = new Set();
    setInterval(() => window.__texts.add(document.querySelector('#scenario-text').value), 5);
  });

  step('a date typed with the keyboard (03 02 2026 in an en-US date field) gives that date');
  await page.click('#new-scenario');
  await page.locator('#f-scenario-0-start').waitFor();
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.startsWith('name = "New scenario"'));
  await page.evaluate(() => window.__texts.clear());
  await page.focus('#f-scenario-0-start');
  await page.keyboard.type('03022026', { delay: 40 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('start = "2026-03-02"'));
  const starts = await page.evaluate(() => [...window.__texts].map((t) => t.match(/^start = "(.*)"$/m)?.[1]));
  const seen = [...new Set(starts)];
  assert.equal(seen.length, 2, `only the start before and the one typed were ever written: ${seen.join(', ')}`);
  assert.ok(seen.includes('2026-03-02'));
  await valid(page);

  step('Add a change, then switch its do: the keys follow the kind');
  await page.click('.add-row[data-section="user"]');
  await page.locator('#f-user-0-access').waitFor();
  await page.fill('#f-user-0-access', 'user_pass');
  await tab(page, '#f-user-0-access');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('access = "user_pass"'));
  await page.click('.add-row[data-section="action"]');
  await page.locator('#f-action-0-do').waitFor();
  assert.match(await editorText(page), /do = "set_tokens"\ntokens = 10/);
  await page.selectOption('#f-action-0-do', 'remove_user_pass');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('do = "remove_user_pass"'));
  const action = (await editorText(page)).split('[[action]]')[1];
  assert.ok(!action.includes('tokens'), `tokens no longer applies:\n${action}`);
  assert.match(action, /user = "user-1"/, 'the user it needs, with a default');
  await valid(page);
  for (let i = 1; i < 20; i++) {
    await page.locator('.form-section[data-section="action"] .duplicate-row').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('.form-section[data-section="action"] fieldset.form-row').length === n, i + 1);
  }
  await valid(page);
  assert.equal((await editorText(page)).split('[[action]]').length, 21);
  await page.selectOption('#f-action-3-do', 'set_group_tokens');
  // No group to set: refused, and the text stays valid.
  await page.locator('.field-error', { hasText: 'login access group' }).waitFor();
  await valid(page);

  step('a value the parser would reject is refused beside its input, the text unchanged');
  const before = await editorText(page);
  await page.fill('#f-action-0-user', 'nobody');
  await tab(page, '#f-action-0-user');
  await page.locator('.form-field.invalid .field-error', { hasText: 'unknown user `nobody`' }).waitFor();
  assert.equal(await editorText(page), before);
  await page.click('.notice-close').catch(() => {});

  step('a user\'s access changed to a named one drops an anonymous identity');
  await page.click('.add-row[data-section="group"]');
  await page.locator('#f-group-0-name').waitFor();
  await page.click('.add-row[data-section="user"]');
  await page.locator('#f-user-1-access').waitFor();
  assert.equal(await page.locator('#f-user-1-access').inputValue(), 'login:group-1');
  await page.selectOption('#f-user-1-identity', 'anonymous');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('identity = "anonymous"'));
  await valid(page, '2 users');
  await page.fill('#f-user-1-access', 'user_pass');
  await tab(page, '#f-user-1-access');
  await page.waitForFunction(() => !document.querySelector('#scenario-text').value.includes('identity = "anonymous"'));
  assert.match((await editorText(page)).split('[[user]]')[2], /name = "user-2"\naccess = "user_pass"\n/);
  await valid(page, '2 users');

  step('many users at once: staff-1 … staff-20, as one edit');
  await page.locator('.several[data-several="users"] summary').click();
  await page.fill('#several-name', 'staff');
  await page.fill('#several-count', '20');
  await page.fill('#several-access', 'user_pass');
  await page.click('#several-users-add');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('name = "staff-20"'));
  await valid(page, '22 users');
  const afterUsers = await page.evaluate(() => [...window.__texts].filter((t) => t.includes('staff-1"')).length);
  assert.equal(afterUsers, 1, 'one edit, not twenty');
  assert.equal(await rows(page, 'user'), 22);

  step('one change for staff-1..20 on Friday 17:00, as one edit');
  await page.locator('.several[data-several="changes"] summary').click();
  await page.selectOption('#several-do', 'remove_user_pass');
  await page.fill('#several-at', 'day 4 17:00');
  await page.locator('.several[data-several="changes"] [data-help]', { hasText: 'Friday 2026-03-06 17:00' }).waitFor();
  await page.fill('#several-users', 'staff-1..20');
  await page.click('#several-changes-add');
  await page.waitForFunction(() => (document.querySelector('#scenario-text').value.match(/user = "staff-\d+"/g) ?? []).length === 20);
  await valid(page);
  const text = await editorText(page);
  for (let i = 1; i <= 20; i++) {
    assert.ok(text.includes(`[[action]]\nat = "day 4 17:00"\ndo = "remove_user_pass"\nuser = "staff-${i}"\n`), `staff-${i}`);
  }
  await page.locator('.form-section[data-section="user"]').scrollIntoViewIfNeeded();
  await screenshots(page, 'form');

  step('a list naming someone who is not there is refused, nothing added');
  const now = await editorText(page);
  await page.fill('#several-users', 'staff-19..25');
  await page.click('#several-changes-add');
  await page.locator('.notice.error', { hasText: 'unknown user `staff-21`' }).waitFor();
  assert.equal(await editorText(page), now);
});
