import { DASHBOARD_LINK_MINUTES, createDashboardLink } from '../dashboard-login.js';
import type { AnswerContext } from './questions.js';

/**
 * A director or an administrator who asks for the dashboard gets a one-time sign-in link, made in the
 * message's transaction; anyone else is told it is not for them.
 */
export async function answerDashboard(ctx: AnswerContext): Promise<string[]> {
  if (!ctx.member.seesAll) return [ctx.t('dashboard.chat_not_allowed')];
  if (!ctx.dashboardLink) return [ctx.t('dashboard.chat_unavailable')];
  const made = await createDashboardLink(ctx.tx, { memberKey: ctx.member.key, actor: ctx.member.key, now: ctx.now() });
  if (!made.ok) return [ctx.t('dashboard.chat_not_allowed')];
  return [ctx.t('dashboard.chat_link', { minutes: DASHBOARD_LINK_MINUTES, url: ctx.dashboardLink(made.value.token) })];
}
