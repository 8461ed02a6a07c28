import { expect, it } from 'vitest';
import { loadOrgFile } from '../../src/app/startup.js';
import { getOrganisation } from '../../src/db/org-repository.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('loading the organisation at start', (ctx) => {
  const deps = () => ctx.deps(new Date('2026-11-25T02:00:00Z'));

  it("lets BOT_TIMEZONE override the file's timezone, and reloads when only the override changes", async () => {
    const first = await loadOrgFile(deps(), {}, 'test');
    expect(first.ok && (await getOrganisation(ctx.db().prisma)).timezone).toBe('Asia/Shanghai');

    const overridden = await loadOrgFile(deps(), { timeZone: 'Asia/Urumqi' }, 'test');
    expect(overridden.ok && overridden.value.status).toBe('loaded');
    expect((await getOrganisation(ctx.db().prisma)).timezone).toBe('Asia/Urumqi');

    const again = await loadOrgFile(deps(), { timeZone: 'Asia/Urumqi' }, 'test');
    expect(again.ok && again.value.status).toBe('unchanged');

    await loadOrgFile(deps(), {}, 'test');
    expect((await getOrganisation(ctx.db().prisma)).timezone).toBe('Asia/Shanghai');
  });

  it('refuses an unreadable file and changes nothing', async () => {
    const result = await loadOrgFile(deps(), { file: '/nonexistent/org.yaml' }, 'test');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: 'unreadable', code: 'not_found', file: '/nonexistent/org.yaml' });
  });
});
