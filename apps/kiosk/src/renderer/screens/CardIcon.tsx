/** An ID card, drawn, not an emoji: the hall PCs have no emoji font. */
export function CardIcon() {
  return (
    <svg className="card-icon" viewBox="0 0 64 40" aria-hidden="true">
      <rect x="2" y="2" width="60" height="36" rx="5" fill="none" stroke="currentColor" strokeWidth="3" />
      <circle cx="18" cy="16" r="6" fill="currentColor" />
      <path d="M8 32c1.5-7 18.5-7 20 0z" fill="currentColor" />
      <rect x="34" y="12" width="22" height="3" rx="1.5" fill="currentColor" />
      <rect x="34" y="19" width="22" height="3" rx="1.5" fill="currentColor" />
      <rect x="34" y="26" width="14" height="3" rx="1.5" fill="currentColor" />
    </svg>
  );
}
