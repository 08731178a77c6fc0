/**
 * A notice above the content it speaks of: an antd Alert with its icon and a gap below, the same
 * in both apps (an error after a failed action, a hint before a form, a sealed draw's note).
 */
import { Alert } from 'antd';
import type { ReactNode } from 'react';

export function Notice({
  type,
  title,
  description,
  gap = 12,
  'data-testid': testId,
}: {
  type: 'success' | 'info' | 'warning' | 'error';
  title: ReactNode;
  description?: ReactNode;
  /** Space below, in pixels. */
  gap?: number;
  'data-testid'?: string;
}) {
  return (
    <Alert
      type={type}
      showIcon
      style={{ marginBottom: gap }}
      title={title}
      description={description}
      data-testid={testId}
    />
  );
}
