import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pinyinCandidates } from './pinyin';

/**
 * id: digits and X (resident ID numbers); digits: numbers, counts; tel: digits only (mobile
 * numbers, nothing else to mistype); latin: letters
 * and digits; text: Chinese by pinyin with candidates, switchable to letters and digits.
 */
export type KeyboardLayout = 'id' | 'digits' | 'tel' | 'latin' | 'text';
const DIGIT_LAYOUTS: readonly KeyboardLayout[] = ['id', 'digits', 'tel'];
type Mode = 'pinyin' | 'latin' | 'digits';

export interface KeyboardEdits {
  /** Append text at the end of the field being edited. */
  onInput(text: string): void;
  onBackspace(): void;
  onClear?(): void;
  onDone?(): void;
}

const DIGIT_ROWS = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9']];
const LETTER_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'].map((row) => [...row]);

export function OnScreenKeyboard({ layout, ...edits }: { layout: KeyboardLayout } & KeyboardEdits) {
  const { t } = useTranslation('ui');
  const [mode, setMode] = useState<Mode>(layout === 'text' ? 'pinyin' : layout === 'latin' ? 'latin' : 'digits');
  const [composing, setComposing] = useState('');
  const { consumed, candidates } = useMemo(() => pinyinCandidates(composing, 24), [composing]);
  const pinyinActive = mode === 'pinyin' && layout === 'text';

  const letter = (char: string) => {
    if (pinyinActive) setComposing((c) => (c + char).slice(0, 30));
    else edits.onInput(char);
  };
  const pick = (char: string) => {
    edits.onInput(char);
    setComposing((c) => c.slice(consumed));
  };
  const backspace = () => {
    if (composing) setComposing((c) => c.slice(0, -1));
    else edits.onBackspace();
  };
  const space = () => {
    const first = candidates[0];
    if (composing && first) pick(first);
    else edits.onInput(' ');
  };
  const done = () => {
    if (composing) {
      edits.onInput(composing);
      setComposing('');
    }
    edits.onDone?.();
  };

  const key = (label: string, onPress: () => void, opts: { wide?: boolean; testId?: string; active?: boolean; aria?: string } = {}) => (
    <button
      key={opts.testId ?? label}
      type="button"
      className="hall-key"
      data-wide={opts.wide ? 'true' : undefined}
      data-active={opts.active ? 'true' : undefined}
      data-testid={`key-${opts.testId ?? label}`}
      aria-label={opts.aria ?? label}
      onClick={onPress}
    >
      {label}
    </button>
  );

  const controls = (
    <div className="hall-keyboard-row">
      {layout === 'text' && key(t('keyboard.pinyin'), () => setMode('pinyin'), { wide: true, testId: 'mode-pinyin', active: mode === 'pinyin' })}
      {(layout === 'text' || layout === 'latin') &&
        key(t('keyboard.latin'), () => (setComposing(''), setMode('latin')), { wide: true, testId: 'mode-latin', active: mode === 'latin' })}
      {(layout === 'text' || layout === 'latin') &&
        key(t('keyboard.digits'), () => (setComposing(''), setMode('digits')), { wide: true, testId: 'mode-digits', active: mode === 'digits' })}
      {layout === 'text' && key(t('keyboard.space'), space, { wide: true, testId: 'space' })}
      {/* A digits-only pad has ⌫ beside 0 already; a second one in this row is one more key to puzzle over. */}
      {!DIGIT_LAYOUTS.includes(layout) && key('⌫', backspace, { wide: true, testId: 'backspace', aria: t('keyboard.backspace') })}
      {edits.onClear && key(t('keyboard.clear'), () => (setComposing(''), edits.onClear?.()), { wide: true, testId: 'clear' })}
      {edits.onDone && key(t('keyboard.done'), done, { wide: true, testId: 'done' })}
    </div>
  );

  const showDigits = DIGIT_LAYOUTS.includes(layout) || mode === 'digits';
  return (
    <div className="hall-keyboard" data-testid="keyboard" data-mode={showDigits ? 'digits' : mode}>
      {pinyinActive && (
        <div className="hall-candidates" data-testid="candidates" aria-label={t('keyboard.candidates')}>
          <span className="hall-candidates-pinyin" data-testid="composing">
            {composing}
          </span>
          {composing && candidates.length === 0 && <span>{t('keyboard.noCandidates')}</span>}
          {composing &&
            candidates.map((char) => (
              <button key={char} type="button" className="hall-candidate" data-testid={`candidate-${char}`} onClick={() => pick(char)}>
                {char}
              </button>
            ))}
        </div>
      )}
      {showDigits ? (
        <>
          {DIGIT_ROWS.map((row) => (
            <div className="hall-keyboard-row" key={row.join('')}>
              {row.map((d) => key(d, () => edits.onInput(d)))}
            </div>
          ))}
          <div className="hall-keyboard-row">
            {layout === 'id' ? key('X', () => edits.onInput('X')) : layout === 'tel' ? <span className="hall-key" aria-hidden="true" data-blank="true" /> : key('-', () => edits.onInput('-'))}
            {key('0', () => edits.onInput('0'))}
            {key('⌫', backspace, { testId: 'backspace-digit', aria: t('keyboard.backspace') })}
          </div>
        </>
      ) : (
        LETTER_ROWS.map((row) => (
          <div className="hall-keyboard-row" key={row.join('')}>
            {row.map((c) => key(mode === 'latin' ? c.toUpperCase() : c, () => letter(mode === 'latin' ? c.toUpperCase() : c), { testId: c }))}
          </div>
        ))
      )}
      {controls}
    </div>
  );
}
