import { maskIdNumber, maskName } from '@hall/shared';

/**
 * Personal data on screen. Values from the station arrive masked already; values the
 * citizen typed on this screen (an ID number on the keypad) are masked here before display.
 */
export function MaskedName({ name, alreadyMasked = false }: { name: string; alreadyMasked?: boolean }) {
  return <span className="hall-masked" data-testid="masked-name">{alreadyMasked ? name : maskName(name)}</span>;
}

export function MaskedIdNumber({ idNumber, alreadyMasked = false }: { idNumber: string; alreadyMasked?: boolean }) {
  return <span className="hall-masked" data-testid="masked-id">{alreadyMasked ? idNumber : maskIdNumber(idNumber)}</span>;
}
