// After a client-side navigation, focus goes to the new page's <h1> (as a page load would start
// there for a screen reader). Pages that load first show their heading later: wait for it.
import { useEffect, type RefObject } from 'react';

const WAIT_MS = 10_000;

export function useFocusHeading(container: RefObject<HTMLElement | null>, pathname: string): void {
  useEffect(() => {
    const root = container.current;
    if (!root) return undefined;
    const focus = () => {
      const heading = root.querySelector('h1');
      if (!heading) return false;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
      return true;
    };
    if (focus()) return undefined;
    const observer = new MutationObserver(() => focus() && observer.disconnect());
    observer.observe(root, { childList: true, subtree: true });
    const giveUp = setTimeout(() => observer.disconnect(), WAIT_MS);
    return () => {
      observer.disconnect();
      clearTimeout(giveUp);
    };
  }, [container, pathname]);
}
