import type { Bilingual } from './text';
import './both.css';

/** Chinese first and large, English under it. */
export function Both({ text, className }: { text: Bilingual; className?: string }) {
  return (
    <span className={`both ${className ?? ''}`}>
      <span className="both-zh">{text.zh}</span>
      {text.en && <span className="both-en">{text.en}</span>}
    </span>
  );
}
