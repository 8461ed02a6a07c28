import { createInvite } from '../../src/app/invites.js';

/** A new invite for a member the test knows exists (the test fails here, plainly, if it does not). */
export async function newInvite(...args: Parameters<typeof createInvite>) {
  const created = await createInvite(...args);
  if (!created.ok) throw new Error(`no invite for ${args[1].member}: ${created.error.code}`);
  return created.value;
}
