// A board: its name, owner, description, sections and pins (loading more while scrolling), and
// "Follow" for anyone but its owner.
import { useCallback } from 'react';
import { Box, Flex, Heading, Text } from 'gestalt';
import { graphql } from '../api/client';
import { BOARD_PAGE, BOARD_PINS, FOLLOW_BOARD, UNFOLLOW_BOARD, type BoardPageData, type BoardPinsData } from '../api/queries';
import { useQuery } from '../api/use-query';
import { usePages } from '../api/use-pages';
import { AppLink } from '../components/app-link';
import { FollowButton } from '../components/follow-button';
import { PinGrid } from '../components/pin-grid';
import { ErrorMessage, NotFound, PageSkeleton } from '../components/screen-states';
import { paths } from '../router';

const PRIVACY_NOTE = { PUBLIC: null, PROTECTED: 'Protected board', SECRET: 'Secret board' } as const;

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export default function BoardScreen({ id }: { id: string }) {
  const state = useQuery<BoardPageData>(BOARD_PAGE, { id, after: null }, ['board']);
  const fetchPage = useCallback(async (after: string) => (await graphql<BoardPinsData>(BOARD_PINS, { id, after }, ['board'])).data.board.pins, [id]);
  const pages = usePages(state.status === 'ready' ? state.data.board.pins : null, fetchPage);

  if (state.status === 'loading') return <PageSkeleton label="Loading board" />;
  if (state.status === 'error') return state.error.notFound ? <NotFound /> : <ErrorMessage error={state.error} retry={state.retry} />;

  const { board, viewer } = state.data;
  const own = viewer?.user?.username === board.owner.username;
  const sections = board.sections?.edges.map((edge) => edge.node) ?? [];
  const note = PRIVACY_NOTE[board.privacy];

  return (
    <main>
      <Box paddingY={6}>
        <Flex direction="column" alignItems="center" gap={{ column: 2, row: 0 }}>
          <Heading size="600" accessibilityLevel={1} align="center">
            {board.name}
          </Heading>
          <Text align="center">
            by{' '}
            <AppLink href={paths.user(board.owner.username)} className="text-link strong">
              {board.owner.username}
            </AppLink>
          </Text>
          {board.description ? <Text align="center">{board.description}</Text> : null}
          <Text size="200" color="subtle" align="center">
            {[count(board.pinCount, 'pin', 'pins'), count(board.followerCount, 'follower', 'followers'), note].filter(Boolean).join(' · ')}
          </Text>
          {!own && board.followedByViewer !== null ? (
            <FollowButton
              following={board.followedByViewer}
              follow={{ query: FOLLOW_BOARD, variables: { id: board.id }, field: 'followBoard' }}
              unfollow={{ query: UNFOLLOW_BOARD, variables: { id: board.id }, field: 'unfollowBoard' }}
              onChange={(following) =>
                state.setData((data) => ({
                  ...data,
                  board: { ...data.board, followedByViewer: following, followerCount: data.board.followerCount + (following ? 1 : -1) },
                }))
              }
            />
          ) : null}
          {sections.length > 0 ? (
            <Flex wrap gap={{ row: 2, column: 2 }} justifyContent="center">
              {sections.map((section) => (
                <span key={section.id} className="chip">
                  {section.name}
                </span>
              ))}
            </Flex>
          ) : null}
        </Flex>
      </Box>
      {pages.pins.length === 0 ? (
        <Text align="center" color="subtle">
          No pins on this board yet.
        </Text>
      ) : (
        <PinGrid pins={pages.pins} loadMore={pages.loadMore} />
      )}
    </main>
  );
}
