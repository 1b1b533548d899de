// The bar on every screen: home, create, search (everyone's public pins), the profile and
// signing out. On a phone the text links give way to the search box.
import { useEffect, useState } from 'react';
import { Avatar, Button, SearchField } from 'gestalt';
import { navigate, paths } from '../router';
import { AppLink } from './app-link';

export interface HeaderProps {
  username: string;
  query: string;
  onLogOut: () => void;
}

export function Header({ username, query, onLogOut }: HeaderProps) {
  const [text, setText] = useState(query);
  useEffect(() => setText(query), [query]);

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
          if (text.trim()) navigate(paths.search(text.trim()));
        }}
      >
        <SearchField
          id="search"
          accessibilityLabel="Search pins"
          accessibilityClearButtonLabel="Clear search"
          placeholder="Search"
          value={text}
          onChange={({ value }) => setText(value)}
          size="lg"
        />
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
