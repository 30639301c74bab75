import { apiJson } from '../api-client';
import { byId, show } from '../dom';
import { guarded } from '../errors';

export const REASON_MIN = 10;
export const REASON_MAX = 500;

/** Why a reason cannot be sent yet, or undefined when it can (the server's rule: 10–500 printable characters, trimmed). */
export function reasonProblem(text: string): string | undefined {
  const reason = text.trim();
  if (reason.length < REASON_MIN) return `at least ${REASON_MIN} characters`;
  if (reason.length > REASON_MAX) return `at most ${REASON_MAX} characters`;
  if (/\p{Cc}/u.test(reason)) return 'no control characters or line breaks';
  // An HTTP header carries Latin-1 only; the browser refuses anything else before sending.
  if (/[^\u0020-\u00ff]/.test(reason)) return 'Latin-1 characters only (the reason travels as an HTTP header)';
  return undefined;
}

/**
 * Reveal with a reason: the dialog will not send until the reason is valid; the answer is fetched with
 * ?reveal=true and X-Access-Reason, and the page then says that this reveal is now in the audit log.
 */
export function wireRevealDialog(eventId: () => string | undefined, onRevealed: (detail: unknown) => void): void {
  const dialog = byId<HTMLDialogElement>('reveal-dialog');
  const reason = byId<HTMLTextAreaElement>('reveal-reason');
  const confirm = byId<HTMLButtonElement>('reveal-confirm');
  const count = byId('reveal-count');
  const update = () => {
    const problem = reasonProblem(reason.value);
    confirm.disabled = problem !== undefined;
    count.textContent = `${reason.value.trim().length} / ${REASON_MAX}${problem ? ` — ${problem}` : ''}`;
  };
  reason.addEventListener('input', update);
  byId('reveal-open').addEventListener('click', () => {
    reason.value = '';
    update();
    dialog.showModal();
    reason.focus();
  });
  byId('reveal-cancel').addEventListener('click', () => dialog.close());
  byId<HTMLFormElement>('reveal-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = eventId();
    const text = reason.value.trim();
    if (!id || reasonProblem(text)) return;
    dialog.close();
    guarded(async () => {
      const detail = await apiJson<unknown>(`/v1/audit/events/${id}?reveal=true`, { headers: { 'x-access-reason': text } });
      onRevealed(detail);
      const record = byId('reveal-record');
      record.textContent = `On the record: this reveal was sealed into the audit log as SensitiveDataAccessed, naming you, this event and your reason ("${text}"), before the values were sent.`;
      show(record);
    })();
  });
}
