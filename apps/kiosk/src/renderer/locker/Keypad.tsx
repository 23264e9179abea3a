import { useState } from 'react';
import { BigButton } from '@hall/ui';
import { Both } from './Both';
import { T, type Bilingual } from './text';
import './keypad.css';

/** Code entry on the touch screen: digits only, eight of them (a pickup code, or a guide's release password). */
export function Keypad({ onSubmit, onBack, title = T.enterCode, testId = 'pickup-code' }: { onSubmit: (code: string) => void; onBack: () => void; title?: Bilingual; testId?: string }) {
  const [code, setCode] = useState('');
  const press = (d: string) => setCode((c) => (c.length < 8 ? c + d : c));
  return (
    <div className="locker-keypad">
      <h2>
        <Both text={title} />
      </h2>
      <div className="keypad-display" data-testid={testId} aria-live="polite">
        {/* Masked like a PIN except the digit just typed: the code is one of two factors, and people queue behind. */}
        {Array.from({ length: 8 }, (_, i) => (
          <span key={i}>{i < code.length - 1 ? '●' : i === code.length - 1 ? code[i] : '·'}</span>
        ))}
      </div>
      <div className="keypad-grid">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <BigButton key={d} size="large" onClick={() => press(d)}>
            {d}
          </BigButton>
        ))}
        <BigButton size="large" variant="ghost" onClick={() => setCode('')}>
          <Both text={T.clear} />
        </BigButton>
        <BigButton size="large" onClick={() => press('0')}>
          0
        </BigButton>
        <BigButton size="large" variant="ghost" onClick={() => setCode((c) => c.slice(0, -1))}>
          ⌫
        </BigButton>
      </div>
      <div className="keypad-actions">
        <BigButton variant="ghost" size="large" onClick={onBack}>
          <Both text={T.back} />
        </BigButton>
        <BigButton variant="primary" size="large" disabled={code.length !== 8} onClick={() => onSubmit(code)}>
          <Both text={T.confirm} />
        </BigButton>
      </div>
    </div>
  );
}
