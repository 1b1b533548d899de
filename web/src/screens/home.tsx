// The home feed: pins from the people and boards the viewer follows, blended with pins picked for
// them, as a masonry grid that loads the next page while scrolling.
import { useCallback } from 'react';
import { Box, Flex, Heading, Text } from 'gestalt';
import { graphql, prefetch } from '../api/client';
import { HOME_FEED, type HomeFeedData } from '../api/queries';
import { useQuery } from '../api/use-query';
import { usePages } from '../api/use-pages';
import { PinGrid } from '../components/pin-grid';
import { ErrorMessage, GridSkeleton } from '../components/screen-states';
import { AppLink } from '../components/app-link';
import { paths } from '../router';

const FIRST_PAGE = { after: null };

export function prefetchHomeFeed(): void {
  prefetch(HOME_FEED, FIRST_PAGE, ['homeFeed']);
}

export default function HomeScreen() {
  const state = useQuery<HomeFeedData>(HOME_FEED, FIRST_PAGE, ['homeFeed']);
  const fetchPage = useCallback(async (after: string) => (await graphql<HomeFeedData>(HOME_FEED, { after }, ['homeFeed'])).data.homeFeed, []);
  const pages = usePages(state.status === 'ready' ? state.data.homeFeed : null, fetchPage);

  return (
    <main>
      <h1 className="visually-hidden">Home feed</h1>
      {state.status === 'loading' ? <GridSkeleton /> : null}
      {state.status === 'error' ? <ErrorMessage error={state.error} retry={state.retry} /> : null}
      {state.status === 'ready' && pages.pins.length === 0 ? (
        <Box padding={8}>
          <Flex direction="column" alignItems="center" gap={{ column: 3, row: 0 }}>
            <Heading size="400" accessibilityLevel={2}>
              Your feed is empty for now
            </Heading>
            <Text align="center">
              Follow people and boards to fill it, or <AppLink href={paths.create()} className="text-link">create a pin</AppLink>.
            </Text>
          </Flex>
        </Box>
      ) : null}
      {state.status === 'ready' ? <PinGrid pins={pages.pins} loadMore={pages.loadMore} /> : null}
    </main>
  );
}
