import type { DocumentAccess, ShareAccess } from '@ledgerline/domain';

/** One document as its reader sees it; title and body are null (and `erased` true) once the owner was erased. */
export interface DocumentView {
  id: string;
  ownerId: string;
  /** The caller's access: owner, or the share's read/write. */
  access: DocumentAccess;
  title: string | null;
  body: string | null;
  erased: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** Who else may read or write it; shown to the owner only. */
  shares?: { userId: string; access: ShareAccess }[];
}

/** A list entry: no body (up to 100 000 characters each, bodies are fetched one document at a time). */
export type DocumentSummary = Omit<DocumentView, 'body' | 'shares'>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
