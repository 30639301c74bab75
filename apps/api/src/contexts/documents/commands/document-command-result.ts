/** What every document command answers: the stream's revision (ETag) and the log position after it. */
export interface DocumentCommandResult {
  documentId: string;
  revision: number;
  /** Global position of the newest event of the document after the command. */
  position: bigint;
}
