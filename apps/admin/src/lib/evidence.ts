import { refusalOf } from './errors';

/** An evidence file as `POST /upload/evidence` returns it and findings store it. */
export interface Evidence {
  sha256: string;
  size: number;
  mime: string;
  name: string;
}

/**
 * Uploads one file to `POST /upload/evidence?name=` (raw body, its media type as Content-Type,
 * session cookie). Resolves to the server's `{sha256, size, mime, name}`, which goes as is into a
 * finding's `evidence`; rejects with the server's refusal (`RefusalError`, rendered by `errorMessage`).
 */
export async function uploadEvidence(file: File): Promise<Evidence> {
  const res = await fetch(`/upload/evidence?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': file.type || 'application/octet-stream' },
    body: file,
  });
  const body = (await res.json().catch(() => null)) as
    (Evidence & { error?: undefined }) | { error?: { message?: string } } | null;
  if (!res.ok || !body || body.error) throw refusalOf(body, res.status);
  return body as Evidence;
}

/** Where a recorded result's evidence file is downloaded (`GET /evidence/<resultId>/<sha256>`). */
export function evidenceUrl(resultId: string, sha256: string): string {
  return `/evidence/${resultId}/${sha256}`;
}

/** A byte count for people: `812 B`, `14.2 KB`, `3.1 MB`. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The evidence list of a finding row (a JSON column, typed loosely by the API). */
export function evidenceOf(finding: { evidence?: unknown }): Evidence[] {
  return Array.isArray(finding.evidence) ? (finding.evidence as Evidence[]) : [];
}
