// Hand the journey to another owner (PUT /v1/journeys/{id}/owner): ops and admin for any journey, a
// sales manager within their team. The new owner must be a sales rep or manager; the server says
// which one may not take it.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { JourneyDetail, User } from '../types';
import { useLoad } from '../useLoad';
import { ErrorNotice } from './ErrorNotice';

export const canReassign = (roles: readonly string[]) => roles.some((r) => r === 'ops' || r === 'admin' || r === 'sales_manager');

export function ReassignPanel({ journey, me, onDone }: { journey: JourneyDetail; me: User; onDone: () => void }) {
  const users = useLoad(() => api.get<User[]>('/v1/users'), []);
  const [ownerId, setOwnerId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // A sales manager hands over within their team: to themselves or a report.
  const withinTeam = !me.roles.some((r) => r === 'ops' || r === 'admin');
  const assignable = (users.data ?? []).filter(
    (u) =>
      u.id !== journey.owner?.id && u.roles.some((r) => r === 'sales_rep' || r === 'sales_manager') && (!withinTeam || u.id === me.id || u.managerId === me.id),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ownerId) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.put<{ owner: { name: string | null } }>(`/v1/journeys/${encodeURIComponent(journey.id)}/owner`, {
        ownerId,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setDone(`Handed to ${answer.owner.name ?? ownerId}.`);
      setOwnerId('');
      setNote('');
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="reassign-title">
      <h2 id="reassign-title">Owner</h2>
      <div className="field">
        <label htmlFor="reassign-owner">Hand to</label>
        <select id="reassign-owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)} required>
          <option value="">Choose a sales rep or manager…</option>
          {assignable.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reassign-note">Note (optional)</label>
        <input id="reassign-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </div>
      {error && <ErrorNotice error={error} title="The journey was not handed over" />}
      {done && !error && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      <button type="submit" disabled={busy || !ownerId}>
        {busy ? 'Handing over…' : 'Hand over'}
      </button>
    </form>
  );
}
