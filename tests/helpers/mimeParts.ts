// The parts of a raw MIME message as received by the SMTP sink, enough to read attachments: every
// leaf part with its type, file name and decoded body (base64, quoted-printable or as is).

export interface MimePart {
  contentType: string;
  filename: string | null;
  body: Buffer;
}

function headersOf(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of block.split(/\r?\n/)) {
    if (/^\s/.test(line) && last) headers[last] += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) headers[(last = line.slice(0, i).toLowerCase())] = line.slice(i + 1).trim();
    }
  }
  return headers;
}

export function mimeParts(raw: string): MimePart[] {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1] as string);
  if (boundaries.length === 0) return [];
  const separator = new RegExp(`\\r?\\n--(?:${boundaries.map((b) => b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:--)?[ \\t]*(?=\\r?\\n|$)`);
  const parts: MimePart[] = [];
  for (const chunk of raw.split(separator).slice(1)) {
    const [head = '', ...rest] = chunk.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const headers = headersOf(head);
    const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!contentType || contentType.startsWith('multipart/')) continue;
    const text = rest.join('\n\n');
    const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
    const body =
      encoding === 'base64'
        ? Buffer.from(text.replace(/\s+/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            )
          : Buffer.from(text);
    const filename = /filename="?([^";]+)"?/i.exec(headers['content-disposition'] ?? '')?.[1] ?? null;
    parts.push({ contentType, filename, body });
  }
  return parts;
}
