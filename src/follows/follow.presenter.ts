// Renders a person in a follow list, or the person just followed, as the v5 `UserSummary`.
import type { UserSummaryBody } from './follow.schemas.js';

export function presentUserSummary(user: { id: string; username: string }): UserSummaryBody {
  return { type: 'user', id: user.id, username: user.username };
}
