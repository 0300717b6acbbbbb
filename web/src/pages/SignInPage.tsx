// Sign in with an API token: checked against GET /v1/users/me, then kept for the browser session.
import { useState, type FormEvent } from 'react';
import { ApiError, request } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { setToken } from '../session';
import type { User } from '../types';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return;
    setBusy(true);
    setError(null);
    try {
      const user = await request<User>('GET', '/v1/users/me', undefined, value);
      setToken(value);
      onSignedIn(user);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            L2C
          </span>
          <span className="brand-name">Lead to cash</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">Paste the API token an administrator gave you. It is kept for this browser tab only.</p>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" value={token} onChange={(e) => setTokenText(e.target.value)} required autoFocus />
        {error && <ErrorNotice error={error} title={error.status === 401 ? 'That token is not valid' : 'Could not sign in'} />}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
