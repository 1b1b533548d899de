// What a screen shows before and instead of its data: a skeleton in the shape of what is coming, a
// readable message with a retry, and one "not found" page for anything the viewer may not see, so a
// private board or pin looks exactly like one that does not exist.
import { Box, Button, Flex, Heading, Text } from 'gestalt';
import type { ApiError } from '../api/client';
import { navigate, paths } from '../router';

const SKELETON_HEIGHTS = [320, 220, 280, 360, 240, 300, 260, 340, 200, 310, 270, 230];

/** Grey boxes in the grid's columns while pins load. */
export function GridSkeleton({ label = 'Loading pins' }: { label?: string }) {
  return (
    <div className="grid-skeleton" role="status" aria-label={label} aria-busy="true">
      {SKELETON_HEIGHTS.map((height, i) => (
        <div key={i} className="skeleton-box" style={{ height }} />
      ))}
    </div>
  );
}

/** A heading and lines of text while a page's header loads, then a grid. */
export function PageSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-label={label} aria-busy="true">
      <div className="skeleton-header">
        <div className="skeleton-line wide" />
        <div className="skeleton-line" />
      </div>
      <GridSkeleton label={label} />
    </div>
  );
}

/** The close-up's shape: a large image beside its text. */
export function CloseupSkeleton() {
  return (
    <div className="closeup-skeleton" role="status" aria-label="Loading pin" aria-busy="true">
      <div className="skeleton-box closeup-image" />
      <div className="closeup-lines">
        <div className="skeleton-line wide" />
        <div className="skeleton-line" />
        <div className="skeleton-line" />
      </div>
    </div>
  );
}

export function ErrorMessage({ error, retry, compact = false }: { error: ApiError; retry: () => void; compact?: boolean }) {
  return (
    <Box padding={compact ? 4 : 8} role="alert">
      <Flex direction="column" alignItems="center" gap={{ column: 3, row: 0 }}>
        {compact ? null : (
          <Heading size="400" accessibilityLevel={2}>
            Something went wrong
          </Heading>
        )}
        <Text align="center">{error.message}</Text>
        <Button text="Try again" onClick={retry} size="lg" />
      </Flex>
    </Box>
  );
}

export function NotFound() {
  return (
    <Box padding={8} marginTop={8}>
      <Flex direction="column" alignItems="center" gap={{ column: 4, row: 0 }}>
        <Heading size="600" accessibilityLevel={1}>
          Sorry, we couldn&apos;t find that page
        </Heading>
        <Text align="center">It may have been removed, or the link may be wrong.</Text>
        <Button text="Go to your home feed" color="red" size="lg" onClick={() => navigate(paths.home())} />
      </Flex>
    </Box>
  );
}

/** A short refusal next to the control that caused it. */
export function InlineError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Text color="error" size="200">
      {message}
    </Text>
  );
}
