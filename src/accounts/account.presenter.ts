// Renders a user row as the v5 `Account`. Other people see counts of public content only; the
// account's owner sees everything they have.
import type { PublicUserRow } from '../platform/db/schema.js';
import type { AccountBody } from './account.schemas.js';

export function presentAccount(user: PublicUserRow, viewerId: string | null): AccountBody {
  const isSelf = viewerId === user.id;
  return {
    id: user.id,
    username: user.username,
    account_type: user.account_type,
    about: user.about,
    website_url: user.website_url,
    ...(user.profile_image ? { profile_image: user.profile_image } : {}),
    business_name: user.business_name,
    board_count: isSelf ? user.board_count : user.public_board_count,
    pin_count: isSelf ? user.pin_count : user.public_pin_count,
    follower_count: user.follower_count,
    following_count: user.following_count,
    monthly_views: 0,
  };
}
