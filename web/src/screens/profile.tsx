// A person's profile: their name, followers and following, "Follow"/"Unfollow" (or "Create board"
// on one's own), their boards and their pins.
import { useCallback, useState } from 'react';
import { Avatar, Box, Button, Flex, Heading, Layer, Modal, Text } from 'gestalt';
import { graphql } from '../api/client';
import { FOLLOW_USER, PROFILE_PAGE, UNFOLLOW_USER, USER_PINS, type BoardCardData, type ProfilePageData, type UserPinsData } from '../api/queries';
import { useQuery } from '../api/use-query';
import { usePages } from '../api/use-pages';
import { AppLink } from '../components/app-link';
import { CreateBoardForm } from '../components/create-board-form';
import { FollowButton } from '../components/follow-button';
import { PinGrid } from '../components/pin-grid';
import { ErrorMessage, NotFound, PageSkeleton } from '../components/screen-states';
import { navigate, paths } from '../router';

function BoardCard({ board }: { board: BoardCardData }) {
  const cover = board.media.imageCoverUrl ?? board.media.pinThumbnailUrls[0] ?? null;
  return (
    <AppLink href={paths.board(board.entityId)} className="board-card">
      <div className="board-cover">{cover ? <img src={cover} alt="" width={150} height={150} loading="lazy" /> : null}</div>
      <Text weight="bold" lineClamp={1}>
        {board.name}
      </Text>
      <Text size="100" color="subtle">
        {board.pinCount === 1 ? '1 pin' : `${board.pinCount} pins`}
        {board.privacy === 'SECRET' ? ' · Secret' : board.privacy === 'PROTECTED' ? ' · Protected' : ''}
      </Text>
    </AppLink>
  );
}

export default function ProfileScreen({ username }: { username: string }) {
  const state = useQuery<ProfilePageData>(PROFILE_PAGE, { username }, ['user']);
  const fetchPage = useCallback(
    async (after: string) => (await graphql<UserPinsData>(USER_PINS, { username, after }, ['user'])).data.user.pins,
    [username],
  );
  const pages = usePages(state.status === 'ready' ? state.data.user.pins : null, fetchPage);
  const [creating, setCreating] = useState(false);

  if (state.status === 'loading') return <PageSkeleton label="Loading profile" />;
  if (state.status === 'error') return state.error.notFound ? <NotFound /> : <ErrorMessage error={state.error} retry={state.retry} />;

  const { user, viewer } = state.data;
  const own = viewer?.user?.username === user.username;
  const boards = user.boards?.edges.map((edge) => edge.node) ?? [];

  return (
    <main>
      <Box paddingY={6}>
        <Flex direction="column" alignItems="center" gap={{ column: 2, row: 0 }}>
          <Avatar name={user.username} size="xl" {...(user.profileImage ? { src: user.profileImage } : {})} />
          <Heading size="600" accessibilityLevel={1}>
            {user.username}
          </Heading>
          {user.about ? <Text align="center">{user.about}</Text> : null}
          <Text align="center" weight="bold" size="200">
            <span data-testid="follower-count">{user.followerCount === 1 ? '1 follower' : `${user.followerCount} followers`}</span>
            {' · '}
            {`${user.followingCount} following`}
          </Text>
          {own ? (
            <Button text="Create board" size="lg" onClick={() => setCreating(true)} />
          ) : user.followedByViewer !== null ? (
            <FollowButton
              following={user.followedByViewer}
              follow={{ query: FOLLOW_USER, variables: { username: user.username }, field: 'followUser' }}
              unfollow={{ query: UNFOLLOW_USER, variables: { username: user.username }, field: 'unfollowUser' }}
              onChange={(following) =>
                state.setData((data) => ({
                  ...data,
                  user: { ...data.user, followedByViewer: following, followerCount: data.user.followerCount + (following ? 1 : -1) },
                }))
              }
            />
          ) : null}
        </Flex>
      </Box>
      <section aria-labelledby="boards-heading">
        <Box marginBottom={3}>
          <Heading size="400" accessibilityLevel={2} id="boards-heading">
            Boards
          </Heading>
        </Box>
        {boards.length === 0 ? (
          <Text color="subtle">No boards yet.</Text>
        ) : (
          <div className="board-grid">
            {boards.map((board) => (
              <BoardCard key={board.id} board={board} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="pins-heading">
        <Box marginTop={8} marginBottom={3}>
          <Heading size="400" accessibilityLevel={2} id="pins-heading">
            Pins
          </Heading>
        </Box>
        {pages.pins.length === 0 ? <Text color="subtle">No pins yet.</Text> : <PinGrid pins={pages.pins} loadMore={pages.loadMore} />}
      </section>
      {creating ? (
        <Layer>
          <Modal accessibilityModalLabel="Create board" heading="Create board" onDismiss={() => setCreating(false)} size="sm">
            <CreateBoardForm
              idPrefix="profile"
              onCreated={(board) => {
                setCreating(false);
                navigate(paths.board(board.entityId));
              }}
            />
          </Modal>
        </Layer>
      ) : null}
    </main>
  );
}
