// Names for user ids (timeline actors, quote authors): the directory when the user's roles may read
// it (GET /v1/users), else what the page already knows (the signed-in user, the owner).
import { useEffect, useState } from 'react';
import { api } from './api';
import type { User } from './types';

const MAY_LIST = new Set(['admin', 'ops', 'sales_manager', 'finance']);
let cache: Promise<Map<string, string>> | null = null;

export function useDirectory(me: User, known: { id: string; name: string | null }[] = []): (id: string | null, knownName?: string | null) => string {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const mayList = me.roles.some((r) => MAY_LIST.has(r));
  useEffect(() => {
    if (!mayList) return;
    cache ??= api.get<User[]>('/v1/users').then(
      (users) => new Map(users.map((u) => [u.id, u.name])),
      () => {
        cache = null;
        return new Map<string, string>();
      },
    );
    let live = true;
    void cache.then((m) => live && setNames(m));
    return () => {
      live = false;
    };
  }, [mayList]);
  return (id, knownName) => {
    if (!id) return 'system';
    if (id === me.id) return `${me.name} (you)`;
    const name = knownName ?? names.get(id) ?? known.find((k) => k.id === id)?.name;
    if (name) return name;
    return id.length > 16 ? `${id.slice(0, 14)}…` : id;
  };
}
