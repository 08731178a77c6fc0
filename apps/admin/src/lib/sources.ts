import type { SourceSpecV2 } from '@spotcheck/core';
import { fmtTime } from '@spotcheck/ui/format';

/** One line describing a v2 source, with 演示信标 for the demo beacon. */
export function sourceLabel(
  s: SourceSpecV2 | { name?: string; issue?: string; kind: string },
  demo: string,
): string {
  if (s.kind === 'drand') {
    const d = s as Extract<SourceSpecV2, { kind: 'drand' }>;
    const time = d.info ? new Date((d.info.genesis + (d.round - 1) * d.info.period) * 1000) : null;
    return `drand #${d.round}${time ? ` · ${fmtTime(time)}` : ''}${d.info ? ` · ${demo}` : ' · quicknet'}`;
  }
  if (s.kind === 'lottery') {
    const l = s as Extract<SourceSpecV2, { kind: 'lottery' }>;
    return `${l.game} ${l.issue}（${l.drawDate}）`;
  }
  const v1 = s as { name?: string; issue?: string };
  return `${v1.name ?? ''}（${v1.issue ?? ''}）`;
}
