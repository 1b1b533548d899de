// v5 shapes for accounts: the request to sign up and the `Account` response.
import { Type, type Static } from 'typebox';

export const SignUpBody = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_]{3,30}$' }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type SignUpBody = Static<typeof SignUpBody>;

export const AccountSchema = Type.Object(
  {
    id: Type.String({ pattern: '^\\d+$' }),
    username: Type.String(),
    account_type: Type.Union([Type.Literal('PINNER'), Type.Literal('BUSINESS')]),
    about: Type.String(),
    website_url: Type.String(),
    profile_image: Type.Optional(Type.String()),
    business_name: Type.Union([Type.String(), Type.Null()]),
    board_count: Type.Integer(),
    pin_count: Type.Integer(),
    follower_count: Type.Integer(),
    following_count: Type.Integer(),
    monthly_views: Type.Integer(),
  },
  { $id: 'Account' },
);
export type AccountBody = Static<typeof AccountSchema>;

export const UsernameParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) });
