// The frame around every page: the brand, the pages the user's roles may use, who is signed in.
import { useRef, type ReactNode } from 'react';
import { useLocation } from '../router';
import type { Route } from '../routes';
import type { User } from '../types';
import { useFocusHeading } from '../useFocusHeading';
import {
  canEditDefinitions,
  canEditResponse,
  canMakeForms,
  canReadResponseRules,
  canSeePurchaseOrders,
  canSeeStuck,
  canWorkCash,
  ROLE_LABELS,
} from '../vocabulary';
import { Link } from './Link';
import { QueueLinks } from './QueueLinks';

export function Shell({ me, route, onSignOut, children }: { me: User; route: Route; onSignOut: () => void; children: ReactNode }) {
  const pages = [
    { href: '/pipeline', label: 'Pipeline', active: route.name === 'pipeline' || route.name === 'journey' || route.name === 'signin', show: true },
    { href: '/reports', label: 'Reports', active: route.name === 'reports', show: true },
    { href: '/stuck', label: 'Stuck monitor', active: route.name === 'stuck', show: canSeeStuck(me.roles) },
    { href: '/cash', label: 'Cash', active: route.name === 'cash', show: canWorkCash(me.roles) },
    { href: '/purchase-orders', label: 'Purchase orders', active: route.name === 'purchaseOrders', show: canSeePurchaseOrders(me.roles) },
    { href: '/definitions', label: 'Process definitions', active: route.name === 'definitions', show: canEditDefinitions(me.roles) },
    { href: '/migrations', label: 'Migrations', active: route.name === 'migrations', show: canEditDefinitions(me.roles) },
    { href: '/response-rules', label: 'Response rules', active: route.name === 'responseRules', show: canReadResponseRules(me.roles) },
    { href: '/email-templates', label: 'Email templates', active: route.name === 'emailTemplates', show: canEditResponse(me.roles) },
    { href: '/forms', label: 'Web forms', active: route.name === 'forms', show: canMakeForms(me.roles) },
  ].filter((p) => p.show);
  const main = useRef<HTMLElement>(null);
  useFocusHeading(main, useLocation().pathname);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Link href="/pipeline" className="brand">
          <span className="brand-mark" aria-hidden="true">
            L2C
          </span>
          <span className="brand-name">Lead to cash</span>
        </Link>
        <nav aria-label="Pages" className="nav">
          <QueueLinks me={me} route={route} />
          {pages.map((p) => (
            <Link key={p.href} href={p.href} className={p.active ? 'nav-link active' : 'nav-link'} aria-current={p.active ? 'page' : undefined}>
              {p.label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span className="who-name">{me.name}</span>
          <span className="who-roles">{me.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}</span>
          <button type="button" className="button-link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content" id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </div>
  );
}
