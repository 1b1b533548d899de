// The bar on every screen: home, create, search with typeahead (everyone's public pins), the profile and
// signing out. On a phone the text links give way to the search box.
import { useEffect, useState } from 'react';
import { Avatar, Button, SearchField } from 'gestalt';
import { graphql } from '../api/client';
import { SUGGESTED_TERMS } from '../api/queries';
import { navigate, paths } from '../router';
import { AppLink } from './app-link';

export interface HeaderProps {
  username: string;
  query: string;
  onLogOut: () => void;
}

export function Header({ username, query, onLogOut }: HeaderProps) {
  const [text, setText] = useState(query);
  const [typing, setTyping] = useState(false);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  useEffect(() => setText(query), [query]);

  // Typeahead: what public pins and boards are called, beginning with what was typed (asked for
  // once typing pauses for a moment).
  useEffect(() => {
    const term = text.trim();
    if (!typing || term.length < 2) {
      setSuggestions([]);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      graphql<{ suggestedTerms: string[] }>(SUGGESTED_TERMS, { term }, ['suggestedTerms']).then(
        ({ data }) => {
          if (!stale) setSuggestions(data.suggestedTerms.filter((suggestion) => suggestion !== term.toLowerCase()));
        },
        () => {
          if (!stale) setSuggestions([]);
        },
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [text, typing]);

  const search = (words: string) => {
    setTyping(false);
    if (words.trim()) navigate(paths.search(words.trim()));
  };

  return (
    <header className="app-header">
      <nav className="header-nav" aria-label="Main">
        <AppLink href={paths.home()} className="logo" aria-label="Corkboard home">
          <img src="/favicon.svg" alt="" width={32} height={32} />
        </AppLink>
        <AppLink href={paths.home()} className="nav-link wide-only">
          Home
        </AppLink>
        <AppLink href={paths.create()} className="nav-link">
          Create
        </AppLink>
      </nav>
      <form
        role="search"
        className="header-search"
        onSubmit={(event) => {
          event.preventDefault();
          search(text);
        }}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget)) setTyping(false);
        }}
      >
        <SearchField
          id="search"
          accessibilityLabel="Search pins"
          accessibilityClearButtonLabel="Clear search"
          placeholder="Search"
          value={text}
          onChange={({ value }) => {
            setText(value);
            setTyping(true);
          }}
          size="lg"
        />
        {typing && suggestions.length > 0 ? (
          <ul className="suggestions" aria-label="Suggestions">
            {suggestions.map((suggestion) => (
              <li key={suggestion}>
                <button type="button" onClick={() => search(suggestion)}>
                  {suggestion}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </form>
      <div className="header-me">
        <AppLink href={paths.user(username)} className="avatar-link" aria-label={`Your profile (${username})`}>
          <Avatar name={username} size="sm" />
        </AppLink>
        <Button text="Log out" size="md" onClick={onLogOut} />
      </div>
    </header>
  );
}
