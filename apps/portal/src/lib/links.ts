/** The portal page that shows a publication of a kind. */
export function linkFor(p: { kind: string; id: string }): string {
  switch (p.kind) {
    case 'checklist':
      return `/checklist/${p.id}`;
    case 'commitment':
      return `/commitments/${p.id}`;
    case 'draw':
      return `/draws/${p.id}`;
    case 'quarterly-results':
      return `/results/${p.id}`;
    default:
      return `/publication/${p.id}`;
  }
}
