// The console's only way to the server: fetch against the API with the session's bearer token.
// Every refusal arrives as {error:{code, message, details?}} (DESIGN.md section 5).
import { clearToken, getToken } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** On a 409, the events the journey accepts now. */
  get allowedEvents(): string[] {
    const events = (this.details as { allowedEvents?: unknown } | undefined)?.allowedEvents;
    return Array.isArray(events) ? events.map(String) : [];
  }

  /** Field issues of a 400 (or validation errors of a 422), each with its path. */
  get issues(): { path: string; message: string }[] {
    const details = this.details as { issues?: unknown; errors?: unknown } | undefined;
    const list = details?.issues ?? details?.errors;
    return Array.isArray(list) ? (list as { path: string; message: string }[]) : [];
  }
}

type Query = Record<string, string | number | undefined | null>;

/** Listeners told when the server refuses the token (401), so the shell can sign out. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: unknown,
  token = getToken(),
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (token) headers.authorization = `Bearer ${token}`;
  // A text body with its own content type (a bank statement file) goes as is; anything else as JSON.
  const raw = typeof body === 'string' && extraHeaders['content-type'] !== undefined;
  if (body !== undefined && !raw) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: raw ? (body as string) : JSON.stringify(body) }) });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    if (response.status === 401 && token) {
      clearToken();
      unauthorizedListeners.forEach((listener) => listener());
    }
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${response.status}.`, error?.details);
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body ?? {}, getToken(), headers),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  upload: <T>(path: string, text: string, contentType: string) => request<T>('POST', path, text, getToken(), { 'content-type': contentType }),
};

/** Opens a document the API serves (a PDF) in a new tab: fetched with the session's token, which a plain link cannot carry. */
export async function openDocument(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  const token = getToken();
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    tab?.close();
    throw new ApiError(response.status, 'http_error', `The document could not be opened (${response.status}).`);
  }
  const url = URL.createObjectURL(await response.blob());
  if (tab) tab.location.href = url;
  else window.location.href = url;
}
