/** Sputnik's mark: a planet with an orbit and its satellite (drawn here, so nothing is fetched). */
export function SputnikMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" className="sputnik-mark">
      <circle cx="32" cy="32" r="13" fill="currentColor" />
      <ellipse cx="32" cy="32" rx="27" ry="9" fill="none" stroke="currentColor" strokeWidth="4" transform="rotate(-30 32 32)" />
      <circle cx="54" cy="19" r="4.5" fill="currentColor" />
    </svg>
  );
}
