import type { ButtonHTMLAttributes, ReactNode } from 'react';

export interface BigButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'normal' | 'large';
  hint?: ReactNode;
}

/** A touch target of at least --hall-touch-min (64 px, more in elderly mode). */
export function BigButton({ variant = 'secondary', size = 'normal', hint, children, type = 'button', ...rest }: BigButtonProps) {
  return (
    <button type={type} className="hall-button" data-variant={variant} data-size={size} {...rest}>
      <span>{children}</span>
      {hint !== undefined && <span className="hall-button-hint">{hint}</span>}
    </button>
  );
}
