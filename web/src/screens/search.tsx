// Search results: everyone's public pins matching the words in the search box, best match first, one
// per picture.
import { useCallback } from 'react';
import { Box, Heading, Text } from 'gestalt';
import { graphql } from '../api/client';
import { SEARCH_PAGE, type SearchPageData } from '../api/queries';
import { useQuery } from '../api/use-query';
import { usePages } from '../api/use-pages';
import { PinGrid } from '../components/pin-grid';
import { ErrorMessage, GridSkeleton } from '../components/screen-states';

function Results({ query }: { query: string }) {
  const state = useQuery<SearchPageData>(SEARCH_PAGE, { term: query, after: null }, ['search']);
  const fetchPage = useCallback(async (after: string) => (await graphql<SearchPageData>(SEARCH_PAGE, { term: query, after }, ['search'])).data.search, [query]);
  const pages = usePages(state.status === 'ready' ? state.data.search : null, fetchPage);

  return (
    <main>
      <Box paddingY={4}>
        <Heading size="400" accessibilityLevel={1}>
          Pins matching “{query}”
        </Heading>
      </Box>
      {state.status === 'loading' ? <GridSkeleton label="Searching" /> : null}
      {state.status === 'error' ? <ErrorMessage error={state.error} retry={state.retry} /> : null}
      {state.status === 'ready' && pages.pins.length === 0 ? <Text>No pins found. Try other words.</Text> : null}
      {state.status === 'ready' && pages.pins.length > 0 ? <PinGrid pins={pages.pins} loadMore={pages.loadMore} /> : null}
    </main>
  );
}

export default function SearchScreen({ query }: { query: string }) {
  if (query) return <Results query={query} />;
  return (
    <main>
      <Box paddingY={4}>
        <Heading size="400" accessibilityLevel={1}>
          Search
        </Heading>
      </Box>
      <Text>Type what you are looking for in the search box.</Text>
    </main>
  );
}
