import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

// One polite live region for the whole app, so async results (saved, loaded, failed) reach screen
// reader users without moving their focus.
type AnnounceFn = (message: string) => void;

const AnnouncerContext = createContext<AnnounceFn>(() => undefined);

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const [nonce, setNonce] = useState(0);
  const announce = useCallback((text: string) => {
    setMessage(text);
    setNonce((n) => n + 1);
  }, []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div
        className="visually-hidden"
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-testid="live-region"
      >
        {/* The key re-creates the text node so a repeated message is announced again. */}
        <span key={nonce}>{message}</span>
      </div>
    </AnnouncerContext.Provider>
  );
}

export function useAnnounce(): AnnounceFn {
  return useContext(AnnouncerContext);
}
