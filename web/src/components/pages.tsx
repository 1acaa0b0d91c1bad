import { Button } from './forms.js';

/** The "more" link under a list shown a page at a time: there only while the list has a next page. */
export function ShowMore({ hasMore, more, what }: { hasMore: boolean; more: () => unknown; what: string }) {
  if (!hasMore) return null;
  return (
    <p class="govuk-body" data-testid="show-more">
      <Button secondary type="button" onClick={() => void more()}>
        Show more {what}
      </Button>
    </p>
  );
}
