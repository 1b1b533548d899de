// v5 query parameters of search_user_pins and search_user_boards.
import { Type, type Static } from 'typebox';
import { PageQuery } from '../platform/http/pagination.js';

const SearchText = Type.String({ maxLength: 500 });
const AdAccountId = Type.String({ maxLength: 18, pattern: '^\\d+$' });

// Pinterest lists no page_size for pin search; it is accepted like every other list's.
export const SearchPinsQuery = Type.Object({
  ...PageQuery.properties,
  query: SearchText,
  ad_account_id: Type.Optional(AdAccountId),
});
export type SearchPinsQuery = Static<typeof SearchPinsQuery>;

export const SearchBoardsQuery = Type.Object({
  ...PageQuery.properties,
  query: Type.Optional(SearchText),
  ad_account_id: Type.Optional(AdAccountId),
});
export type SearchBoardsQuery = Static<typeof SearchBoardsQuery>;
