import type { ReactNode } from 'react';
import { Heading, Secondary } from '@spotcheck/ui/plain';

/** A page: a heading, a lead paragraph, the content. */
export function Page({
  title,
  intro,
  extra,
  children,
}: {
  title: string;
  intro?: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <div
        style={{
          display: 'flex',
          alignItems: 'baseline',
          justifyContent: 'space-between',
          gap: 16,
          flexWrap: 'wrap',
        }}
      >
        <Heading level={2}>{title}</Heading>
        {extra}
      </div>
      {intro && (
        <Secondary as="p" style={{ maxWidth: 900 }}>
          {intro}
        </Secondary>
      )}
      {children}
    </div>
  );
}
