// A link to a quote's, an invoice's or a credit note's PDF (GET /v1/documents/…), opened with the session's token.
import { useState } from 'react';
import { openDocument } from '../api';

export function PdfLink({ kind, id, label }: { kind: 'quotes' | 'invoices' | 'credit-notes'; id: string; label: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  const open = () => {
    setFailed(null);
    openDocument(`/v1/documents/${kind}/${encodeURIComponent(id)}.pdf`).catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
  };
  return (
    <>
      <button type="button" className="button-link small" onClick={open} aria-label={`${label} as PDF`}>
        PDF
      </button>
      {failed && (
        <span role="alert" className="small">
          {failed}
        </span>
      )}
    </>
  );
}
