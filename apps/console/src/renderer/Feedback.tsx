import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface Feedback {
  ok: boolean;
  text: string;
}

/**
 * One line of feedback for a page's writes: `run` awaits a write and shows either the
 * success text or the server's error message (so a refused change is never silent).
 */
export function useFeedback() {
  const { t } = useTranslation();
  const [feedback, setFeedback] = useState<Feedback>();
  const run = async <T,>(write: () => Promise<T>, okText: string | ((result: T) => string)): Promise<boolean> => {
    try {
      const result = await write();
      setFeedback({ ok: true, text: typeof okText === 'string' ? okText : okText(result) });
      return true;
    } catch (e) {
      setFeedback({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
      return false;
    }
  };
  return { feedback, run, clear: () => setFeedback(undefined) };
}

export function FeedbackLine(props: { feedback: Feedback | undefined; testId: string }) {
  if (!props.feedback) return null;
  return (
    <p className={props.feedback.ok ? 'ok' : 'error'} role={props.feedback.ok ? 'status' : 'alert'} data-testid={props.testId}>
      {props.feedback.text}
    </p>
  );
}

/** Toggles `id` in a list, keeping the order the list had. */
export function toggled(list: readonly string[], id: string, on: boolean): string[] {
  return on ? (list.includes(id) ? [...list] : [...list, id]) : list.filter((x) => x !== id);
}
