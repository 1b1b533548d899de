// v5 shapes for following people: the FollowUserRequest body, the `UserSummary` items of the
// follower and following lists, and the lists' query parameters.
import { Type, type Static } from 'typebox';
import { PageQuery } from '../platform/http/pagination.js';

export const FollowUserBody = Type.Object(
  {
    // Pinterest's auto-follow links are a partner programme; the flag is accepted and has no effect.
    auto_follow: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FollowUserBody = Static<typeof FollowUserBody>;

export const UserSummarySchema = Type.Object(
  {
    type: Type.Literal('user'),
    // `id` is an extension: Pinterest's UserSummary has only type and username.
    id: Type.String({ pattern: '^\\d+$' }),
    username: Type.String(),
  },
  { $id: 'UserSummary' },
);
export type UserSummaryBody = Static<typeof UserSummarySchema>;

const AdAccountId = Type.String({ maxLength: 18, pattern: '^\\d+$' });

// Every follow in Corkboard is explicit (following a person does not follow their boards, and the
// reverse), so `explicit_following` changes nothing; `feed_type` is accepted and every followee is
// listed, newest follow first.
export const FollowersQuery = PageQuery;
export type FollowersQuery = Static<typeof FollowersQuery>;

export const FollowingQuery = Type.Object(
  {
    ...PageQuery.properties,
    feed_type: Type.Optional(
      Type.Union([
        Type.Literal('ALL'),
        Type.Literal('RANKED'),
        Type.Literal('CREATOR_ONLY'),
        Type.Literal('RANKED_CREATOR_ONLY'),
      ]),
    ),
    explicit_following: Type.Optional(Type.Boolean()),
    ad_account_id: Type.Optional(AdAccountId),
  },
);
export type FollowingQuery = Static<typeof FollowingQuery>;

export const FollowingBoardsQuery = Type.Object(
  {
    ...PageQuery.properties,
    explicit_following: Type.Optional(Type.Boolean()),
    ad_account_id: Type.Optional(AdAccountId),
  },
);
export type FollowingBoardsQuery = Static<typeof FollowingBoardsQuery>;
